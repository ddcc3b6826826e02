"""An objection to proactive outreach, given on the personal page, closes the resident's
open signals at once: no team approaches someone who said no."""

from django.conf import settings as django_settings

from klantocratie.events.models import Event
from klantocratie.parties.models import Party
from klantocratie.privacy.choices import decide
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.packs import load_choice_purposes
from klantocratie.signals.models import Outcome, SignalStatus

from .test_views import make_signal, neighbour  # noqa: F401  (fixture)


def _resident(party: Party) -> AccessContext:
    return AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=party.pk,
    )


def test_an_objection_closes_open_signals_and_withdrawing_it_reopens_nothing(
    signal_rules: Party,
    neighbour: Party,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    load_choice_purposes(django_settings.DEMO_PACK_DIR)
    own = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    arrears = make_signal("vroegsignalering-betalingsachterstand", signal_rules)
    theirs = make_signal("klachten-na-vertrek-kinderen", neighbour)

    # The event reaches the signals once the choice is committed.
    with django_capture_on_commit_callbacks(execute=True):
        choice = decide(
            _resident(signal_rules), signal_rules, "proactieve-dienstverlening", give=True
        )

    for signal in (own, arrears):
        signal.refresh_from_db()
        assert signal.status == SignalStatus.CLOSED
        assert signal.outcome == Outcome.DECLINED
        assert str(choice.uuid) in signal.closing_note
        assert (signal.delete_after - signal.closed_at.date()).days <= 30
    # The creditor hears only that the report was not picked up.
    feedback = Event.objects.get(type="nl.klantocratie.vroegsignaal.teruggemeld")
    assert feedback.data["opgepakt"] is False
    theirs.refresh_from_db()
    assert theirs.status != SignalStatus.CLOSED

    with django_capture_on_commit_callbacks(execute=True):
        decide(_resident(signal_rules), signal_rules, "proactieve-dienstverlening", give=False)
    own.refresh_from_db()
    assert own.status == SignalStatus.CLOSED
