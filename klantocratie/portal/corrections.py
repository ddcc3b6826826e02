"""Correction requests (art. 16 AVG): asked on the personal page, decided by the source.

Elements the source accepts changes for (phone, e-mail, …) are changed directly through
``gate.change``. Everything else — name, birth, address, income — can only be corrected
by the organisation that keeps it, often after checking a deed or a declaration. The
resident asks here; the request goes to that source as an event, and the source's
progress shows on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klantocratie.events.services import emit
from klantocratie.parties.models import Party
from klantocratie.parties.validators import normalise_postcode, validate_postcode
from klantocratie.privacy import gate
from klantocratie.registry.models import DataElement
from klantocratie.validation import FieldErrors

from .models import DECIDED, CorrectionRequest, CorrectionStatus, CorrectionStep

EVENT_SOURCE = "urn:klantocratie:mijn-pagina"
PROPOSED_MAX = 500
EXPLANATION_MAX = 1000
# Element domains with a section of their own on the page (cases, contacts, signals):
# records of what happened, not facts to correct or fill in.
OWN_SECTIONS = frozenset({"case", "cases", "contact", "signals", "arrears"})


def has_own_section(code: str) -> bool:
    return code.partition(".")[0] in OWN_SECTIONS


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]*)*$")
_POSTCODE_IN_TEXT_RE = re.compile(r"\b([1-9][0-9]{3}) ?([A-Za-z]{2})\b")
_HOUSE_NUMBER_RE = re.compile(r"\b[1-9][0-9]{0,4}\b")
_GENDERS = {"man", "vrouw", "onbekend"}


def correctable(element: DataElement) -> bool:
    """Whether a resident asks the source to correct this element (not change it)."""
    return not element.changeable and not has_own_section(element.code)


def _check_birth(value: str) -> str:
    for pattern in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            born = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if born > timezone.localdate():
            raise ValidationError("Een geboortedatum ligt niet in de toekomst.")
        if born < date(1880, 1, 1):
            raise ValidationError("Deze geboortedatum is niet mogelijk.")
        return born.strftime("%d-%m-%Y")
    raise ValidationError("Schrijf de datum als dag-maand-jaar, bijvoorbeeld 19-05-1971.")


def _check_name(value: str) -> str:
    if not _NAME_RE.match(value):
        raise ValidationError(
            "Een naam bestaat uit letters, spaties, koppeltekens, punten en apostrofs."
        )
    return value


def _check_address(value: str) -> str:
    postcode = _POSTCODE_IN_TEXT_RE.search(value)
    if postcode is None:
        raise ValidationError(
            "Noem de postcode (vier cijfers en twee letters), bijvoorbeeld "
            "'Nieuwstraat 12, 7607 AB Almelo'."
        )
    validate_postcode(normalise_postcode(postcode.group(0)))
    if not _HOUSE_NUMBER_RE.search(value[: postcode.start()] + value[postcode.end() :]):
        raise ValidationError("Noem ook het huisnummer.")
    return value


def _check_gender(value: str) -> str:
    if value.lower() not in _GENDERS:
        raise ValidationError("Kies man, vrouw of onbekend.")
    return value.lower()


# Checks for elements whose value has a known shape; other values are free text.
VALUE_CHECKS: dict[str, Callable[[str], str]] = {
    "person.birth": _check_birth,
    "person.name": _check_name,
    "person.address": _check_address,
    "person.gender": _check_gender,
}


def open_request(party: Party, element: DataElement) -> CorrectionRequest | None:
    return (
        CorrectionRequest.objects.filter(party=party, element=element)
        .exclude(status__in=DECIDED)
        .first()
    )


def request_correction(
    ctx: gate.AccessContext,
    party: Party,
    element_code: str,
    *,
    proposed_value: str,
    explanation: str = "",
) -> CorrectionRequest:
    """Ask the owning source to correct one element; logged like a read of that element."""
    errors = FieldErrors()
    element = (
        DataElement.objects.select_related("source__organisation").filter(code=element_code).first()
    )
    if element is None or element.party_type != party.party_type:
        errors.add("element", "Dit gegeven bestaat niet.")
    elif not correctable(element):
        errors.add(
            "element",
            "Dit gegeven kunt u zelf wijzigen, of het hoort bij uw zaken of contacten.",
        )
    elif open_request(party, element) is not None:
        errors.add("element", "Voor dit gegeven loopt al een verzoek; wacht op de uitkomst.")
    proposed_value = proposed_value.strip()
    explanation = explanation.strip()
    if not proposed_value:
        errors.add("proposed_value", "Schrijf wat het volgens u moet zijn.")
    elif len(proposed_value) > PROPOSED_MAX:
        errors.add("proposed_value", f"Hoogstens {PROPOSED_MAX} tekens.")
    elif _CONTROL_RE.search(proposed_value):
        errors.add("proposed_value", "De tekst bevat tekens die niet kunnen worden gelezen.")
    elif element is not None and element.code in VALUE_CHECKS:
        try:
            proposed_value = VALUE_CHECKS[element.code](proposed_value)
        except ValidationError as error:
            errors.add("proposed_value", error.messages[0])
    if len(explanation) > EXPLANATION_MAX:
        errors.add("explanation", f"Hoogstens {EXPLANATION_MAX} tekens.")
    elif _CONTROL_RE.search(explanation):
        errors.add("explanation", "De tekst bevat tekens die niet kunnen worden gelezen.")
    errors.raise_if_any()
    assert element is not None
    now = timezone.now()
    # Only what one may see can be corrected: the gate checks the read grant and logs it.
    with gate.access(ctx, [party], [element.code], operation="correctieverzoek indienen") as permit:
        request = CorrectionRequest.objects.create(
            party=party,
            element=element,
            source=element.source,
            proposed_value=proposed_value,
            explanation=explanation,
            submitted_at=now,
            submitted_by=ctx.actor,
            trace_id=permit.trace_id,
        )
        CorrectionStep.objects.create(
            request=request,
            status=CorrectionStatus.FORWARDED,
            at=now,
            note=f"Uw verzoek is doorgestuurd naar {element.source.name}.",
            by=element.source.organisation.name,
        )
        emit(
            "nl.klantocratie.correctie.gevraagd",
            source=EVENT_SOURCE,
            subject=str(request.uuid),
            data={
                "bron": element.source.code,
                "gegeven": element.code,
                "kenmerk": str(request.uuid),
                "voorgestelde_waarde": proposed_value,
                "toelichting": explanation,
            },
            trace_id=permit.trace_id,
        )
    return request


_NEXT = {
    CorrectionStatus.FORWARDED: {
        CorrectionStatus.IN_PROGRESS,
        CorrectionStatus.CORRECTED,
        CorrectionStatus.REJECTED,
    },
    CorrectionStatus.IN_PROGRESS: {CorrectionStatus.CORRECTED, CorrectionStatus.REJECTED},
}


def check_progress(request: CorrectionRequest, status: str, note: str) -> None:
    """Whether the source may take this step now; raises ValidationError naming the field."""
    errors = FieldErrors()
    allowed = _NEXT.get(CorrectionStatus(request.status), set())
    if status not in allowed:
        errors.add(
            "status",
            f"Van '{request.get_status_display()}' kan een verzoek niet naar '{status}'.",
        )
    note = note.strip()
    if status == CorrectionStatus.REJECTED and not note:
        errors.add("note", "Leg de inwoner uit waarom het verzoek is afgewezen.")
    errors.raise_if_any()


@transaction.atomic
def record_progress(
    request: CorrectionRequest, *, status: str, note: str = ""
) -> CorrectionRequest:
    """The source's step on a request: taken up, corrected, or rejected with a reason."""
    note = note.strip()
    check_progress(request, status, note)
    now = timezone.now()
    request.status = status
    if status in DECIDED:
        request.decided_at = now
    request.save(update_fields=["status", "decided_at"])
    CorrectionStep.objects.create(
        request=request,
        status=status,
        at=now,
        note=note,
        by=request.source.organisation.name,
    )
    emit(
        "nl.klantocratie.correctie.bijgewerkt",
        source=EVENT_SOURCE,
        subject=str(request.uuid),
        data={"kenmerk": str(request.uuid), "status": status},
    )
    return request
