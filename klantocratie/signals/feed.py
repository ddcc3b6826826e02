"""Incremental evaluation: a new event re-evaluates the rules only for the party it
touches, so a signal follows within moments instead of at the next nightly run.
"""

from __future__ import annotations

from klantocratie.events.dispatch import subscribe
from klantocratie.events.models import Event
from klantocratie.parties.models import Party, PartyIdentifier
from klantocratie.privacy.choices import CHOICE_CHANGED
from klantocratie.privacy.models import ChoiceKind, ChoiceStatus

ARREARS_REPORTED = "nl.klantocratie.vroegsignaal.gemeld"  # sources/arrears/services.py
STATUS_SET = "nl.klantocratie.zaak.status-gezet"


def _reevaluate(party: Party | None, event: Event) -> None:
    # A task, so the request that caused the event does not wait for the rules; in the
    # embedded default tasks run eagerly, right here.
    from .tasks import evaluate_party_task

    if party is None or party.party_type != "person":
        return
    evaluate_party_task.delay(party.pk, f"{event.type} {event.id}")


@subscribe("nl.klantocratie.contact.registered")
def on_contact(event: Event) -> None:
    _reevaluate(Party.objects.filter(uuid=event.data.get("partij")).first(), event)


@subscribe("nl.klantocratie.element.changed")
def on_element_changed(event: Event) -> None:
    _reevaluate(Party.objects.filter(uuid=event.subject).first(), event)


@subscribe(CHOICE_CHANGED)
def on_choice_changed(event: Event) -> None:
    """An objection to proactive outreach closes the person's open signals at once."""
    from .services import close_on_objection

    if (
        event.data.get("soort") != ChoiceKind.OPT_OUT
        or event.data.get("keuze") != ChoiceStatus.GIVEN
    ):
        return
    party = Party.objects.filter(uuid=event.data.get("partij")).first()
    if party is not None:
        close_on_objection(
            party, event.data.get("verwerkingen", []), receipt=event.data.get("bewijsnummer", "")
        )


@subscribe(ARREARS_REPORTED)
def on_arrears_reported(event: Event) -> None:
    _reevaluate(Party.objects.filter(uuid=event.data.get("partij")).first(), event)


@subscribe(STATUS_SET)
def on_case_status(event: Event) -> None:
    for client in event.data.get("betrokkenen", []):
        if client.get("type") != "bsn":
            continue
        identifier = (
            PartyIdentifier.objects.filter(identifier_type="bsn", value=client.get("value"))
            .select_related("party")
            .first()
        )
        _reevaluate(identifier.party if identifier else None, event)
