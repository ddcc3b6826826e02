"""Reads for the request forms: which forms a party may use, in which order, and the
case a request started. The forms themselves are configuration (no personal data);
the subject's cases are, so those reads open the gate over the subject."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from klantocratie.cases.models import Case
from klantocratie.cases.services import CASE_ELEMENTS
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from .definitions import FormField
from .models import FormState, RequestForm


def forms_for(party_type: str, on: date | None = None) -> list[RequestForm]:
    """The version in force of every form this party type may use, by title."""
    on = on or timezone.localdate()
    in_force: dict[str, RequestForm] = {}
    # Newest version first: the first one in force per code wins.
    for form in RequestForm.objects.filter(state=FormState.PUBLISHED, valid_from__lte=on).order_by(
        "code", "-valid_from", "-version"
    ):
        if form.code in in_force or not form.in_force_on(on):
            continue
        if party_type in form.party_types:
            in_force[form.code] = form
    return sorted(in_force.values(), key=lambda f: f.title)


def form_for(code: str, party_type: str, on: date | None = None) -> RequestForm | None:
    return next((f for f in forms_for(party_type, on) if f.code == code), None)


def fields_for(form: RequestForm, party_type: str) -> list[FormField]:
    """The form's fields that apply to this party type (a known field only to the type
    its element describes)."""
    fields = [FormField.from_stored(data) for data in form.fields]
    return [f for f in fields if not f.party_type or f.party_type == party_type]


@dataclass(frozen=True)
class RankedForm:
    form: RequestForm
    times_used: int


def ranked_forms(ctx: gate.AccessContext, subject: Party) -> list[RankedForm]:
    """The subject's forms, most used first: the case types of their own cases, counted.

    Counting their cases reads their case records, so it goes through the gate (and the
    log shows it). When the gate refuses, the forms come in title order instead.
    """
    forms = forms_for(subject.party_type)
    usage: dict[str, int] = {}
    if forms:
        try:
            with gate.access(
                ctx,
                [subject],
                CASE_ELEMENTS[subject.party_type],
                operation="aanvragen ordenen naar eigen gebruik",
            ):
                rows = (
                    Case.objects.filter(roles__party=subject)
                    .values("case_type_version__case_type__identification")
                    .annotate(times=Count("id", distinct=True))
                )
                usage = {
                    row["case_type_version__case_type__identification"]: row["times"]
                    for row in rows
                }
        except GateError:
            usage = {}
    ranked = [RankedForm(form, usage.get(form.case_type, 0)) for form in forms]
    # Python's sort is stable: equally used forms keep their title order.
    return sorted(ranked, key=lambda r: -r.times_used)


def submitted_case(ctx: gate.AccessContext, subject: Party, case_uuid: str) -> Case | None:
    """A case the subject is a party to, read through the gate; None for anyone else's."""
    try:
        wanted = uuid.UUID(case_uuid)
    except ValueError:
        return None
    case = (
        Case.objects.filter(uuid=wanted, roles__party=subject)
        .select_related("organisation", "case_type_version")
        .first()
    )
    if case is None:
        return None
    try:
        with gate.access(
            ctx, [subject], CASE_ELEMENTS[subject.party_type], operation="aanvraag bevestigen"
        ):
            return case
    except GateError:
        return None
