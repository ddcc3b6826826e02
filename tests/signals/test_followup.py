"""Following a signal up: the team's work, the resident's answer, and deletion on time."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from klantocratie.demo.signal_cases import Planted
from klantocratie.events.dispatch import publish_pending
from klantocratie.events.models import Event
from klantocratie.parties.models import Party
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import AuditEntry, AuditOutcome
from klantocratie.signals import services
from klantocratie.signals.models import (
    ContactAttempt,
    OfferState,
    Outcome,
    Reaction,
    Signal,
    SignalEvent,
    SignalStatus,
)
from klantocratie.sources.arrears.models import ArrearsReport, Feedback
from tests.signals.conftest import DEBT_HELP, PERMITS, SOCIAL, resident_of, team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def signalled(planted: Planted) -> Planted:
    services.run_rules(triggered_by="test")
    return planted


def _arrears_signal(bsn: str = "900000004") -> Signal:
    return Signal.objects.get(
        rule__code="vroegsignalering-betalingsachterstand", party__identifiers__value=bsn
    )


def test_the_team_triages_tries_to_reach_and_closes_with_an_outcome(signalled: Planted) -> None:
    signal = _arrears_signal()
    services.triage(DEBT_HELP, signal, note="Huurachterstand, bekend adres.")
    services.record_attempt(DEBT_HELP, signal, channel="brief", reached=False)
    services.record_attempt(DEBT_HELP, signal, channel="huisbezoek", reached=True, note="Thuis.")
    assert signal.status == SignalStatus.IN_PROGRESS
    services.close(DEBT_HELP, signal, outcome=Outcome.HELP_STARTED, note="Budgetcoach.")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED and signal.closed_at is not None
    assert ContactAttempt.objects.filter(signal=signal).count() == 2
    kinds = list(SignalEvent.objects.filter(signal=signal).values_list("kind", flat=True))
    assert kinds == ["aangemaakt", "beoordeeld", "contactpoging", "contactpoging", "afgesloten"]
    with pytest.raises(ValidationError):
        services.record_attempt(DEBT_HELP, signal, channel="telefoon", reached=True)


def test_the_creditor_learns_only_whether_the_report_was_picked_up(signalled: Planted) -> None:
    signal = _arrears_signal()
    services.close(DEBT_HELP, signal, outcome=Outcome.HELP_STARTED, note="Schuldhulptraject.")
    [event] = Event.objects.filter(type="nl.klantocratie.vroegsignaal.teruggemeld")
    assert set(event.data) == {"schuldeiser", "kenmerk", "opgepakt", "datum"}
    assert event.data["opgepakt"] is True
    assert "Schuldhulptraject" not in str(event.data)
    publish_pending()
    report = ArrearsReport.objects.get(reference="WST-HA-0042")
    assert report.feedback == Feedback.PICKED_UP
    [energy] = signalled.fires["vroegsignalering-betalingsachterstand"][1:]
    services.close(DEBT_HELP, _arrears_signal(energy), outcome=Outcome.NOT_REACHED)
    publish_pending()
    assert ArrearsReport.objects.get(bsn=energy).feedback == Feedback.NOT_PICKED_UP


def test_outcomes_come_from_the_rules_closed_list(signalled: Planted) -> None:
    life_event = Signal.objects.filter(rule__code__startswith="levensgebeurtenis").first()
    assert life_event is not None
    with pytest.raises(ValidationError) as caught:
        services.close(_member_of(life_event), life_event, outcome=Outcome.HELP_STARTED, note="")
    assert "outcome" in caught.value.message_dict


def _member_of(signal: Signal) -> AccessContext:
    return team_member(signal.team.role, signal.team.activity, "demo-kcc")


def test_only_the_rules_team_works_on_a_signal(signalled: Planted) -> None:
    signal = _arrears_signal()
    services.close(DEBT_HELP, signal, outcome=Outcome.NO_NEED)
    for outsider in (SOCIAL, PERMITS):
        # Refused before anything about the signal is told (not even that it is closed).
        with pytest.raises(PermissionDenied):
            services.triage(outsider, signal)
        with pytest.raises(PermissionDenied):
            services.close(outsider, signal, outcome="onzin")
    refusals = AuditEntry.objects.filter(outcome=AuditOutcome.DENIED, operation="signaal")
    assert refusals.count() == 4
    assert {entry.actor for entry in refusals} == {"demo-sociaal", "demo-zaak"}


def test_the_resident_answers_an_offer_once_and_a_declined_offer_is_kept_briefly(
    signalled: Planted, demo: Party
) -> None:
    signal = _arrears_signal()
    own = resident_of(demo)
    services.answer_offer(own, signal, "later")
    assert signal.offer_state == OfferState.LATER
    services.answer_offer(own, signal, "decline")
    assert signal.delete_after == timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationError):
        services.answer_offer(own, signal, "accept")


def test_a_resident_cannot_touch_another_residents_signal(signalled: Planted) -> None:
    from klantocratie.parties.selectors import find_party

    energy = signalled.fires["vroegsignalering-betalingsachterstand"][1]
    other = find_party("bsn", energy)
    assert other is not None
    mine = _arrears_signal()
    with pytest.raises(PermissionDenied):
        services.answer_offer(resident_of(other), mine, "accept")
    with pytest.raises(PermissionDenied):
        services.react(resident_of(other), mine, kind="bezwaar", text="Klopt niet.")
    assert mine.offer_state == OfferState.OPEN
    assert not Reaction.objects.exists()


def test_contesting_a_fact_sends_a_correction_request_to_its_source(
    signalled: Planted, demo: Party
) -> None:
    signal = _arrears_signal()
    services.react(
        resident_of(demo),
        signal,
        kind="bezwaar",
        text="Deze huur heb ik al betaald.",
        reference="WST-HA-0042",
    )
    signal.refresh_from_db()
    assert signal.contested
    [event] = Event.objects.filter(type="nl.klantocratie.gegeven.betwist")
    assert event.data["bron"] == "vroegsignalen"
    assert event.data["kenmerk"] == "WST-HA-0042"
    with pytest.raises(ValidationError) as caught:
        services.react(resident_of(demo), signal, kind="bezwaar", text="x", reference="ZZZ")
    assert "reference" in caught.value.message_dict


def test_signals_and_snapshots_are_deleted_after_their_retention(signalled: Planted) -> None:
    total = Signal.objects.count()
    short = Signal.objects.filter(rule__retention_days=92).count()
    assert 0 < short < total
    today = timezone.localdate()
    # A fake clock: the nightly purge runs 93 days from now, then 184 days from now.
    later = timezone.now() + timedelta(days=93)
    with mock.patch("django.utils.timezone.now", return_value=later):
        from klantocratie.signals.tasks import purge_expired_task

        first = purge_expired_task()
    assert first["signals"] == short
    assert first["snapshots"] > 0
    assert Signal.objects.count() == total - short
    result = services.purge_expired(today + timedelta(days=184))
    assert result["signals"] == total - short
    assert not Signal.objects.exists()
