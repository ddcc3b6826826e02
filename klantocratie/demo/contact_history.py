"""A year of contact history for the demo, as a migration from the municipality's
previous contact system would bring it in, so the neighbourhood trends have something
to count.

Volumes follow a municipality's contact centre (about two contacts per resident a
year, spread over the usual subjects). One story is planted: in the wijk with the most
residents, questions about starting a business roughly treble over the last eight
weeks. Week cells stay below the suppression threshold; the eight-week totals do not,
so the dashboard shows both what is hidden and what stands out. Fixed seed: the same
history on every load, dated relative to the load day.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from klantocratie.contacts.models import Channel, Contact, Involvement, InvolvementRole
from klantocratie.parties.models import PartyIdentifier
from klantocratie.registry.models import Organisation
from klantocratie.sources.population.models import Residence

SEED = 2026
WEEKS = 52
STARTING_A_BUSINESS = "Starten als ondernemer"
# Subject and its share of the usual contacts.
SUBJECTS = (
    ("Verhuizing doorgeven", 0.22),
    ("Afvalpas en containers", 0.18),
    ("Gemeentelijke belastingen", 0.16),
    ("Paspoort of identiteitskaart", 0.14),
    ("Parkeervergunning", 0.1),
    ("Bijzondere bijstand", 0.08),
    ("Overlast melden", 0.07),
    (STARTING_A_BUSINESS, 0.05),
)
CONTACTS_PER_RESIDENT_PER_YEAR = 2.0
HISTORY_NOTE = "Overgenomen uit het vorige klantcontactsysteem."


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def load_demo_contact_history(today: date | None = None) -> int:
    """Add the history once; returns the number of contacts it holds."""
    if Contact.objects.filter(nummer__startswith="KCH-").exists():
        return Contact.objects.filter(nummer__startswith="KCH-").count()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    parties = dict(
        PartyIdentifier.objects.filter(identifier_type="bsn").values_list("value", "party_id")
    )
    by_wijk: dict[str, list[int]] = defaultdict(list)
    for bsn, buurt in (
        Residence.objects.filter(valid_to__isnull=True)
        .exclude(buurt_code="")
        .order_by("bsn")
        .values_list("bsn", "buurt_code")
    ):
        if bsn in parties:
            by_wijk[f"WK{buurt[2:8]}"].append(parties[bsn])
    if not by_wijk:
        return 0
    municipality = Organisation.objects.get(code="gemeente-almelo")
    channels = list(Channel.objects.order_by("code"))
    residents = [party for wijk in sorted(by_wijk) for party in by_wijk[wijk]]
    busiest = max(sorted(by_wijk), key=lambda wijk: len(by_wijk[wijk]))
    weekly = len(residents) * CONTACTS_PER_RESIDENT_PER_YEAR / WEEKS
    this_week = _monday(today)
    planned: list[tuple[date, str, int]] = []
    for back in range(WEEKS, 0, -1):
        monday = this_week - timedelta(weeks=back)
        for subject, share in SUBJECTS:
            for _ in range(round(weekly * share * rng.uniform(0.7, 1.3))):
                planned.append((monday, subject, rng.choice(residents)))
        # The story: a handful of extra questions a week in one wijk, about three times
        # as many over the last eight weeks as over the eight before.
        extra = 10 if back <= 8 else 3 if back <= 16 else 0
        for _ in range(extra):
            planned.append((monday, STARTING_A_BUSINESS, rng.choice(by_wijk[busiest])))
    return _store(planned, municipality, channels, rng)


def _store(
    planned: list[tuple[date, str, int]],
    municipality: Organisation,
    channels: list[Channel],
    rng: random.Random,
) -> int:
    contacts: list[Contact] = []
    for number, (monday, subject, _party) in enumerate(planned, start=1):
        day = monday + timedelta(days=rng.randrange(5))
        moment = datetime.combine(day, time(rng.randrange(8, 17), rng.randrange(60)))
        contacts.append(
            Contact(
                nummer=f"KCH-{day.year}-{number:06d}",
                channel=rng.choice(channels),
                subject=subject,
                content=HISTORY_NOTE,
                succeeded=True,
                occurred_at=timezone.make_aware(moment),
                organisation=municipality,
                registered_by="import",
            )
        )
    with transaction.atomic():
        Contact.objects.bulk_create(contacts, batch_size=2000)
        stored = Contact.objects.filter(nummer__in=[c.nummer for c in contacts]).values_list(
            "nummer", "pk"
        )
        ids = dict(stored)
        Involvement.objects.bulk_create(
            (
                Involvement(
                    contact_id=ids[contact.nummer],
                    party_id=party,
                    role=InvolvementRole.CLIENT,
                    initiator=True,
                )
                for contact, (_monday, _subject, party) in zip(contacts, planned, strict=True)
            ),
            batch_size=2000,
        )
    return len(contacts)
