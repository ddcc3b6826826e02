"""A creditor reports arrears: the report is stored and announced, so the early-warning
rule looks at this resident at once instead of at the next nightly run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from klantocratie.events.services import emit
from klantocratie.parties.models import Party
from klantocratie.parties.validators import passes_eleven_test
from klantocratie.validation import FieldErrors

from .models import ArrearsKind, ArrearsReport

ARREARS_REPORTED = "nl.klantocratie.vroegsignaal.gemeld"
EVENT_SOURCE = "urn:klantocratie:vroegsignalen"


def register_report(
    *,
    bsn: str,
    creditor: str,
    creditor_name: str,
    kind: str,
    reference: str,
    amount: str | Decimal,
    overdue_since: date,
    reported_on: date | None = None,
) -> ArrearsReport:
    """Store one report (once per creditor and reference); every problem named at once."""
    errors = FieldErrors()
    if not (len(bsn) == 9 and bsn.isdigit() and passes_eleven_test(bsn)):
        errors.add("bsn", "Geen geldig BSN (9 cijfers, elfproef).")
    if kind not in ArrearsKind.values:
        errors.add("kind", f"Kies uit: {', '.join(ArrearsKind.values)}.")
    if not reference.strip():
        errors.add("reference", "Het kenmerk van de schuldeiser ontbreekt.")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        errors.add("amount", "Geen bedrag.")
        value = Decimal(0)
    if value <= 0:
        errors.add("amount", "Een achterstand is een positief bedrag.")
    reported = reported_on or timezone.localdate()
    if overdue_since > reported:
        errors.add("overdue_since", "De achterstand kan niet na de melding beginnen.")
    if ArrearsReport.objects.filter(creditor=creditor, reference=reference).exists():
        errors.add("reference", f"{creditor} meldde {reference} al.")
    errors.raise_if_any()
    with transaction.atomic():
        report = ArrearsReport.objects.create(
            bsn=bsn,
            creditor=creditor,
            creditor_name=creditor_name,
            kind=kind,
            reference=reference.strip(),
            amount=value,
            overdue_since=overdue_since,
            reported_on=reported,
        )
        party = Party.objects.filter(
            identifiers__identifier_type="bsn", identifiers__value=bsn
        ).first()
        emit(
            ARREARS_REPORTED,
            source=EVENT_SOURCE,
            subject=f"{creditor}:{report.reference}",
            data={"partij": str(party.uuid) if party else None, "soort": kind},
        )
    return report
