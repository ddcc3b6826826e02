"""Filling in and submitting a request form.

`prefill` reads every known field of a form in one gate read for the subject and says,
per field, whether government knows it (with the organisation that does) or must ask,
and why. `check_answers` checks what the resident typed; `submit_request` re-reads the
known values through the gate (never trusting what a browser sends) and starts the case.

Between the steps only the resident's own answers travel, signed, in the page
(`sign_answers`); known values are not in the page to tamper with at all.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.cases.models import Case, CaseTypeVersion, PropertyType
from klantocratie.cases.services import Client, check_value, start_case, version_in_force
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.validation import FieldErrors

from .definitions import (
    DESCRIPTION_MAX,
    TEXT_MAX,
    TO_DESCRIPTION,
    TO_EXPLANATION,
    TO_PROPERTY,
    FormField,
    display,
    extract,
)
from .models import RequestForm
from .selectors import fields_for

# A request reaches the case system through the web form channel (packs' channels.yaml).
CHANNEL = "webformulier"
PREFILL_OPERATION = "formulier vooraf invullen"
# How long a filled-in form may wait between preview and sending.
ANSWERS_MAX_AGE = 60 * 60
_ANSWERS_SALT = "klantocratie.askonce.answers"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Input:
    """How an asked field is typed in: the case-type property's format and choices."""

    format: str  # a PropertyType.Format value
    choices: tuple[Choice, ...] = ()
    multiline: bool = False
    max_length: int = TEXT_MAX


@dataclass
class FieldState:
    field: FormField
    input: Input
    known: bool = False
    value: Any = None
    shown: str = ""
    source: str = ""  # "Gemeente Almelo — Basisregistratie Personen (Almelo)"
    # Why a known field is asked after all (source down, not permitted, not on record).
    fallback: str = ""

    @property
    def code(self) -> str:
        return self.field.code

    @property
    def asked(self) -> bool:
        return not self.known


@dataclass
class FilledForm:
    form: RequestForm
    version: CaseTypeVersion
    fields: list[FieldState] = field(default_factory=list)

    @property
    def known(self) -> list[FieldState]:
        return [f for f in self.fields if f.known]

    @property
    def asked(self) -> list[FieldState]:
        return [f for f in self.fields if f.asked]

    @property
    def fallbacks(self) -> list[FieldState]:
        return [f for f in self.fields if f.fallback]


def _choices(prop: PropertyType) -> tuple[Choice, ...]:
    return tuple(
        Choice(str(c["code"]), str(c.get("label") or c["code"]))
        if isinstance(c, dict)
        else Choice(str(c), str(c))
        for c in prop.choices
    )


def _input(form_field: FormField, properties: Mapping[str, PropertyType]) -> Input:
    if form_field.to == TO_PROPERTY:
        prop = properties[form_field.case_property]
        return Input(format=prop.format, choices=_choices(prop))
    if form_field.to == TO_DESCRIPTION:
        return Input(format=PropertyType.Format.TEXT, max_length=DESCRIPTION_MAX)
    return Input(format=PropertyType.Format.TEXT, multiline=True)


def _read_known(
    ctx: gate.AccessContext, subject: Party, elements: list[str]
) -> tuple[gate.ReadResult | None, str]:
    if not elements:
        return None, ""
    try:
        return gate.read(ctx, subject, elements, operation=PREFILL_OPERATION), ""
    except GateError:
        # Refused as a whole (no grant, an objection) or the log could not be written:
        # the form still works, it only asks instead.
        return None, "wij mochten of konden dit nu niet bij de bron ophalen"


def prefill(ctx: gate.AccessContext, subject: Party, form: RequestForm) -> FilledForm:
    """The form for this subject: known fields from one gate read, the rest asked."""
    version = version_in_force(form.case_type, timezone.localdate())
    properties = {p.code: p for p in version.property_types.all()}
    form_fields = fields_for(form, subject.party_type)
    elements = sorted({f.element for f in form_fields if f.is_known})
    result, refusal = _read_known(ctx, subject, elements)
    unavailable: dict[str, str] = {}
    if result is not None:
        for status in result.sources:
            if not status.available:
                for code in status.elements:
                    unavailable[code] = f"{status.organisation_name} is nu niet bereikbaar"
    filled = FilledForm(form=form, version=version)
    today = timezone.localdate()
    for form_field in form_fields:
        state = FieldState(field=form_field, input=_input(form_field, properties))
        filled.fields.append(state)
        if not form_field.is_known:
            continue
        if result is None:
            state.fallback = refusal
            continue
        element = result.values.get(form_field.element)
        if element is None:
            state.fallback = unavailable.get(
                form_field.element, "dit formulier mag dit gegeven niet ophalen"
            )
            continue
        value = extract(form_field, element.value, today)
        if value is None:
            state.fallback = f"{element.organisation_name} heeft dit gegeven niet"
            continue
        state.known = True
        state.value = value
        state.shown = display(form_field, value)
        state.source = f"{element.organisation_name} — {element.source_name}"
    return filled


# --- answers --------------------------------------------------------------------------


def _required_message(state: FieldState) -> str:
    if state.input.choices or state.input.format == PropertyType.Format.BOOLEAN:
        return f"Kies een antwoord bij '{state.field.label}'."
    return f"Vul '{state.field.label}' in."


def check_answers(filled: FilledForm, data: Mapping[str, Any]) -> dict[str, Any]:
    """The asked fields' answers from posted data, checked; raises ValidationError with a
    Dutch message per field code. Anything posted for a known field is ignored."""
    errors = FieldErrors()
    answers: dict[str, Any] = {}
    for state in filled.asked:
        raw = str(data.get(state.code) or "").strip()
        if not raw:
            if state.field.required:
                errors.add(state.code, _required_message(state))
            continue
        if len(raw) > state.input.max_length:
            errors.add(state.code, f"Hoogstens {state.input.max_length} tekens, nu {len(raw)}.")
            continue
        try:
            check_value(state.input.format, raw, [c.value for c in state.input.choices])
        except ValueError as error:
            message = str(error)
            errors.add(state.code, f"{state.field.label}: {message}.")
            continue
        # Kept as typed (JSON-safe); start_case stores each property in its own form.
        answers[state.code] = raw
    errors.raise_if_any()
    return answers


def answer_shown(state: FieldState, raw: Any) -> str:
    """An answer as the resident reads it back in the preview."""
    if raw in (None, ""):
        return "(niet ingevuld)"
    if state.input.format == PropertyType.Format.BOOLEAN:
        return "Ja" if check_value(state.input.format, raw) else "Nee"
    if state.input.format == PropertyType.Format.DATE:
        return dt.date.fromisoformat(check_value(state.input.format, raw)).strftime("%d-%m-%Y")
    for choice in state.input.choices:
        if choice.value == raw:
            return choice.label
    return str(raw)


def sign_answers(form: RequestForm, subject: Party, answers: Mapping[str, Any]) -> str:
    """The answers, tied to this form version and subject, for the next step's page.
    A fresh nonce makes each preview sendable once."""
    return signing.dumps(
        {
            "form": form.code,
            "version": form.version,
            "subject": str(subject.uuid),
            "answers": dict(answers),
            "nonce": uuid.uuid4().hex,
        },
        salt=_ANSWERS_SALT,
        compress=True,
    )


class AnswersInvalid(Exception):
    """The signed answers were altered, expired or belong to another form or subject."""


def read_answers(token: str, form: RequestForm, subject: Party) -> tuple[dict[str, Any], str]:
    """The answers and nonce of a signed token; raises AnswersInvalid."""
    try:
        data = signing.loads(token, salt=_ANSWERS_SALT, max_age=ANSWERS_MAX_AGE)
    except signing.SignatureExpired as error:
        raise AnswersInvalid(
            "Het formulier lag langer dan een uur open; vul het opnieuw in."
        ) from error
    except signing.BadSignature as error:
        raise AnswersInvalid("Het formulier is onderweg veranderd; vul het opnieuw in.") from error
    if (data.get("form"), data.get("version"), data.get("subject")) != (
        form.code,
        form.version,
        str(subject.uuid),
    ):
        raise AnswersInvalid("Deze antwoorden horen bij een ander formulier; vul het opnieuw in.")
    return dict(data.get("answers") or {}), str(data.get("nonce") or "")


# --- submitting -----------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _fit(text: str, limit: int) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Shown(dict[str, str]):
    """Field values for the description template; a field that does not apply is blank."""

    def __missing__(self, key: str) -> str:
        return ""


def _shown_values(filled: FilledForm, answers: Mapping[str, Any]) -> _Shown:
    values = _Shown()
    for state in filled.fields:
        if state.known:
            values[state.code] = state.shown
        elif answers.get(state.code):
            values[state.code] = answer_shown(state, answers[state.code])
        else:
            values[state.code] = ""
    return values


def _explanation(
    filled: FilledForm, answers: Mapping[str, Any], shown: Mapping[str, str], on_behalf: bool
) -> str:
    form = filled.form
    lines = [f"Aangevraagd op Mijn pagina met formulier '{form.title}' (versie {form.version})."]
    if on_behalf:
        lines.append("Ingediend door een gemachtigde, namens de aanvrager.")
    for state in filled.fields:
        if state.field.to != TO_EXPLANATION:
            continue
        if state.known:
            lines.append(
                f"{state.field.label}: {state.shown} (bevestigd; bekend bij {state.source})"
            )
        elif answers.get(state.code):
            lines.append(f"{state.field.label}: {shown[state.code]}")
    return "\n".join(lines)


def submit_request(
    ctx: gate.AccessContext, subject: Party, form: RequestForm, answers: Mapping[str, Any]
) -> Case:
    """Start the case of a confirmed request for the subject.

    The known values are read again here, through the gate: what the resident confirmed
    is what the sources hold now, never what a browser sent. A field that became
    unknown since (a source went down) must now be answered, and is reported as such.
    """
    filled = prefill(ctx, subject, form)
    clean = check_answers(filled, answers)
    shown = _shown_values(filled, clean)
    properties: dict[str, Any] = {}
    description = ""
    for state in filled.fields:
        value = state.value if state.known else clean.get(state.code)
        if value in (None, ""):
            continue
        if state.field.to == TO_PROPERTY:
            properties[state.field.case_property] = value
        elif state.field.to == TO_DESCRIPTION:
            description = str(value)
    if not description:
        description = form.description.format_map(shown)
    try:
        return start_case(
            ctx,
            case_type=form.case_type,
            clients=[Client(subject)],
            description=_fit(description, DESCRIPTION_MAX),
            channel=CHANNEL,
            explanation=_explanation(
                filled, clean, shown, on_behalf=ctx.actor_party_id != subject.pk
            ),
            properties=properties,
        )
    except ValidationError as error:
        raise _by_field(filled, error) from error


def _by_field(filled: FilledForm, error: ValidationError) -> ValidationError:
    """start_case names case fields (eigenschappen.kenteken); the form names its own."""
    by_property = {s.field.case_property: s.code for s in filled.fields if s.field.case_property}
    describing = next((s.code for s in filled.fields if s.field.to == TO_DESCRIPTION), "")
    errors = FieldErrors()
    for name, messages in error.message_dict.items():
        target = "__all__"
        if name.startswith("eigenschappen."):
            target = by_property.get(name.removeprefix("eigenschappen."), "__all__")
        elif name == "omschrijving" and describing:
            target = describing
        for message in messages:
            errors.add(target, message)
    return ValidationError(errors.by_field)
