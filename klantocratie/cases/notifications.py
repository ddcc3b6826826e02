"""Tell residents about their case where the status type says so: on their personal page
always, and by e-mail when the source of contact details has an address for them.

The e-mail address is read through the gate like any other data, in the name of the
case's organisation, so the processing log shows that the notifier looked it up.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from klantocratie.events.dispatch import subscribe
from klantocratie.events.models import Event
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from .models import Case, ResidentNotice
from .services import STATUS_SET

logger = logging.getLogger(__name__)
NOTIFIER = "systeem:zaaknotificaties"


def _email_of(case: Case, party: Party) -> str:
    ctx = gate.AccessContext(
        actor=NOTIFIER,
        role="case_worker",
        organisation=case.organisation.code,
        activity="zaakbehandeling",
    )
    try:
        result = gate.read(ctx, party, ["person.email"], operation="statusbericht versturen")
    except GateError as error:
        logger.info("No e-mail for a status notice on %s: %s", case, error.message)
        return ""
    value = result.values.get("person.email")
    return str(value.value) if value and value.value else ""


@subscribe(STATUS_SET)
def notify_resident(event: Event) -> None:
    data = event.data
    if not data.get("informeren"):
        return
    case = Case.objects.select_related("organisation").filter(uuid=data["zaak"]).first()
    if case is None:
        return
    text = f"{data['zaaktype']} ({data['identificatie']}): {data['statustekst']}"
    for client in data.get("betrokkenen", []):
        party = Party.objects.filter(uuid=client["party"]).first()
        if party is None:
            continue
        _, created = ResidentNotice.objects.get_or_create(
            event_id=event.id,
            party=party,
            channel=ResidentNotice.Channel.PORTAL,
            defaults={"case": case, "text": text, "created_at": timezone.now()},
        )
        if not created or party.party_type != "person":
            continue
        address = _email_of(case, party)
        if not address:
            continue
        send_mail(
            subject=f"Nieuws over uw zaak {data['identificatie']}",
            message=(
                f"{text}\n\nU vindt al uw zaken op uw persoonlijke pagina.\n\n"
                f"{case.organisation.name}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        ResidentNotice.objects.create(
            event_id=event.id,
            party=party,
            channel=ResidentNotice.Channel.EMAIL,
            case=case,
            text=text,
            created_at=timezone.now(),
        )
