"""Situations in the demo registries for each public signal rule, and near misses.

The rules look back a number of days from the day they run, so these are dated
relative to the day the demo is loaded; which persons get them is fixed. Each rule
gets at least one person it must find and one it must pass over, so the demo shows
both and a change that makes a rule too loose or too strict is visible at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from klantocratie.parties.models import PartyIdentifier
from klantocratie.privacy.models import (
    ChoiceKind,
    ChoiceStatus,
    CollectionChannel,
    PrivacyChoice,
)
from klantocratie.sources.arrears.models import ArrearsKind, ArrearsReport
from klantocratie.sources.population.models import FamilyRelation, Person, RelationKind, Residence
from klantocratie.sources.tax.models import Assessment, AssessmentStatus

from .generator import DEMO_RESIDENT_BSN

OUTREACH_PURPOSE = "proactieve-dienstverlening"


@dataclass
class Planted:
    """Whom each rule should find (and must not), by BSN, for tests and the demo story."""

    fires: dict[str, list[str]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)
    opted_out: list[str] = field(default_factory=list)
    # Residents who apply for a building permit now (the case system registers it).
    permit_applicants: list[str] = field(default_factory=list)


def _adults(count: int) -> list[str]:
    """Residents of Almelo aged 30-60 who live alone or with others, outside the demo
    family, in a fixed order."""
    living = Residence.objects.filter(valid_to__isnull=True).exclude(buurt_code="")
    bsns = (
        Person.objects.filter(
            birth_date__gte="1966", birth_date__lt="1996", death_date__isnull=True
        )
        .filter(bsn__in=living.values("bsn"))
        .exclude(bsn__in=FamilyRelation.objects.filter(bsn=DEMO_RESIDENT_BSN).values("related_bsn"))
        .exclude(bsn=DEMO_RESIDENT_BSN)
        .filter(bsn__in=PartyIdentifier.objects.filter(identifier_type="bsn").values("value"))
        .order_by("bsn")
        .values_list("bsn", flat=True)
    )
    chosen = list(bsns[:count])
    if len(chosen) < count:
        raise ValueError(f"Need {count} adult residents to plant signal situations.")
    return chosen


CREDITOR_NAMES = {
    "energie-twente": "Energie Twente",
    "waterbedrijf-oost": "Waterbedrijf Oost",
    "zorgverzekeraar-oost": "Zorgverzekeraar Oost",
}


def _report(
    bsn: str, creditor: str, kind: str, reference: str, euros: str, days: int, today: date
) -> None:
    ArrearsReport.objects.create(
        bsn=bsn,
        creditor=creditor,
        creditor_name=CREDITOR_NAMES[creditor],
        kind=kind,
        reference=reference,
        amount=Decimal(euros),
        overdue_since=today - timedelta(days=days),
        reported_on=today - timedelta(days=max(days - 21, 1)),
    )


def plant_signal_cases(today: date | None = None) -> Planted:
    today = today or timezone.localdate()
    planted = Planted()
    (
        energy,
        water,
        insured,
        widowed,
        widowed_long_ago,
        debtor,
        small_debtor,
    ) = _adults(7)
    with transaction.atomic():
        # Vroegsignalering: 30 days or more is a signal, 20 days is not yet. (The demo
        # resident's landlord reported her rent arrears; the generator has that.)
        _report(energy, "energie-twente", ArrearsKind.ENERGY, "ET-2026-81234", "612.40", 45, today)
        _report(water, "waterbedrijf-oost", ArrearsKind.WATER, "WO-553311", "96.10", 20, today)
        _report(
            insured,
            "zorgverzekeraar-oost",
            ArrearsKind.HEALTH_INSURANCE,
            "ZO-2026-7781",
            "388.00",
            60,
            today,
        )
        # This resident objected to proactive outreach: no organisation may signal them.
        party_id = PartyIdentifier.objects.get(identifier_type="bsn", value=insured).party_id
        PrivacyChoice.objects.create(
            party_id=party_id,
            purpose=OUTREACH_PURPOSE,
            kind=ChoiceKind.OPT_OUT,
            status=ChoiceStatus.GIVEN,
            decided_at=timezone.make_aware(datetime.combine(today - timedelta(days=100), time(10))),
            collected_via=CollectionChannel.PORTAL,
            statement="Ik wil niet uit zichzelf benaderd worden door de overheid.",
        )
        planted.fires["vroegsignalering-betalingsachterstand"] = [DEMO_RESIDENT_BSN, energy]
        planted.misses["vroegsignalering-betalingsachterstand"] = [water, insured]
        planted.opted_out.append(insured)

        # A partner who died three weeks ago is a life event; one who died last year is not.
        for survivor, days_ago in ((widowed, 21), (widowed_long_ago, 400)):
            partner = FamilyRelation.objects.filter(bsn=survivor, kind=RelationKind.PARTNER).first()
            partner_bsn = _partner_for(survivor) if partner is None else partner.related_bsn
            Person.objects.filter(bsn=partner_bsn).update(
                death_date=today - timedelta(days=days_ago)
            )
        planted.fires["levensgebeurtenis-overlijden-partner"] = [widowed]
        planted.misses["levensgebeurtenis-overlijden-partner"] = [widowed_long_ago]

        # Tax arrears: large ones are a reason to talk about a payment plan when applying
        # for a building permit (the permit cases themselves come with the demo cases).
        for bsn, euros in ((debtor, "6400.00"), (small_debtor, "310.00")):
            Assessment.objects.create(
                bsn=bsn,
                year=today.year - 1,
                kind="inkomstenbelasting",
                amount=Decimal(euros),
                outstanding=Decimal(euros),
                due_date=today - timedelta(days=120),
                status=AssessmentStatus.COLLECTION,
            )
        planted.permit_applicants = [debtor, small_debtor]
        planted.fires["bouwaanvraag-met-belastingschuld"] = [debtor]
        planted.misses["bouwaanvraag-met-belastingschuld"] = [small_debtor]
    return planted


def _partner_for(bsn: str) -> str:
    """A partner for someone who has none yet: the next adult not yet in a relation."""
    taken = FamilyRelation.objects.filter(kind=RelationKind.PARTNER).values("bsn")
    candidate = (
        Person.objects.exclude(bsn__in=taken)
        .exclude(bsn=bsn)
        .filter(birth_date__lt="1996", death_date__isnull=True)
        .order_by("-bsn")
        .values_list("bsn", flat=True)
        .first()
    )
    if candidate is None:
        raise ValueError("No adult left to be a partner.")
    FamilyRelation.objects.bulk_create(
        [
            FamilyRelation(bsn=bsn, related_bsn=candidate, kind=RelationKind.PARTNER),
            FamilyRelation(bsn=candidate, related_bsn=bsn, kind=RelationKind.PARTNER),
        ]
    )
    return candidate
