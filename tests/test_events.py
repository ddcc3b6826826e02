"""Outbox delivery: after commit, at least once, in order, and a failing subscriber only
delays its own event."""

import pytest

from klantocratie.events import dispatch
from klantocratie.events.models import Event
from klantocratie.events.services import emit

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(dispatch, "_subscribers", dispatch.defaultdict(list))

    @dispatch.subscribe("test.ok")
    def ok(event: Event) -> None:
        seen.append(event.subject)

    @dispatch.subscribe("test.broken")
    def broken(event: Event) -> None:
        raise RuntimeError("subscriber down")

    return seen


def test_events_reach_subscribers_after_commit_in_order(
    received: list[str], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit("test.ok", source="urn:test", subject="first", data={})
        emit("test.ok", source="urn:test", subject="second", data={})
    assert received == []  # nothing is delivered before the commit
    for callback in callbacks:
        callback()
    assert received == ["first", "second"]
    assert not Event.objects.filter(published_at__isnull=True).exists()


def test_a_failing_subscriber_leaves_its_event_for_the_next_run(
    received: list[str], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        emit("test.broken", source="urn:test", subject="stuck", data={})
        emit("test.ok", source="urn:test", subject="fine", data={})
    assert received == ["fine"]
    assert list(
        Event.objects.filter(published_at__isnull=True).values_list("subject", flat=True)
    ) == ["stuck"]
    dispatch._subscribers["test.broken"].clear()
    assert dispatch.publish_pending() == 1
    assert not Event.objects.filter(published_at__isnull=True).exists()


def test_events_without_subscribers_are_marked_published(received: list[str]) -> None:
    emit("test.nobody", source="urn:test", subject="x", data={})
    assert dispatch.publish_pending() == 1
    assert dispatch.publish_pending() == 0


def test_later_events_of_a_stuck_subject_wait_so_they_never_overtake_it(
    received: list[str], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        emit("test.broken", source="urn:test", subject="zaak-1", data={})
        emit("test.ok", source="urn:test", subject="zaak-1", data={})
        emit("test.ok", source="urn:test", subject="zaak-2", data={})
    assert received == ["zaak-2"]
    dispatch._subscribers["test.broken"].clear()
    dispatch.publish_pending()
    assert received == ["zaak-2", "zaak-1"]
