"""Ask once: the forms catalogue and a request in three steps.

1. *Fill in*: what government knows is shown for confirmation ("klopt dit?"), read
   through the gate; the resident answers only what it does not know.
2. *Check*: the whole request read back.
3. *Send*: the case starts; the confirmation names it and links to it.

Everything is for ``portal.subject``. No party, case or known value is ever taken from
the request: the subject comes from the session, known values are read again through
the gate on every step, and the answers travel signed between the steps.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from klantocratie.privacy.errors import GateError

from ..access import PortalSession, portal_of, portal_view
from ..askonce import selectors, services
from ..askonce.definitions import DESCRIPTION_MAX
from ..askonce.models import RequestForm

PAGE_SIZE = 20
# The sent requests of this session: nonce -> case uuid, so a preview is sent only once
# and the confirmation page (after the redirect) knows which case to show.
SENT_KEY = "askonce_sent"
SENT_KEPT = 20
STEP_CHECK, STEP_EDIT, STEP_SEND = "controleren", "wijzigen", "versturen"


@portal_view
def catalogue(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    ranked = selectors.ranked_forms(portal.ctx, portal.subject)
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "portal/requests/catalogue.html", {"page": page})


def _form_or_404(portal: PortalSession, code: str) -> RequestForm:
    form = selectors.form_for(code, portal.subject.party_type)
    if form is None:
        raise Http404("Dit formulier bestaat niet of is niet voor u.")
    return form


def _fill_in(
    request: HttpRequest,
    filled: services.FilledForm,
    answers: dict[str, Any],
    *,
    errors: dict[str, list[str]] | None = None,
    confirmed: str = "",
    alert: str = "",
) -> HttpResponse:
    errors = errors or {}
    asked = {state.code for state in filled.asked}
    # Errors that no asked field shows (a known value the case type refused, a refusal).
    general = [
        m for name, messages in errors.items() if name not in asked | {"kloppen"} for m in messages
    ]
    rows = [
        _row(state, answers.get(state.code, ""), errors.get(state.code, []))
        for state in filled.asked
    ]
    return render(
        request,
        "portal/requests/form.html",
        {
            "filled": filled,
            "rows": rows,
            "errors": errors,
            "summary": [(f"veld-{r['state'].code}", m) for r in rows for m in r["errors"]],
            "confirm_errors": errors.get("kloppen", []),
            "general_errors": general,
            "confirmed": confirmed,
            "disputed": confirmed == "nee",
            "alert": alert,
        },
        status=400 if errors else 200,
    )


def _row(state: services.FieldState, value: Any, errors: list[str]) -> dict[str, Any]:
    """One asked field for the template, with the ids its help, note and error carry."""
    code = state.code
    described = [
        f"veld-{code}-{part}"
        for part, present in (
            ("uitleg", state.field.help or state.input.max_length == DESCRIPTION_MAX),
            ("noot", state.fallback),
            ("fout", errors),
        )
        if present
    ]
    return {
        "state": state,
        "value": "" if value is None else str(value),
        "errors": errors,
        "describedby": " ".join(described),
        "radios": state.input.format == "ja_nee" or 0 < len(state.input.choices) <= 4,
    }


def _preview(
    request: HttpRequest, filled: services.FilledForm, token: str, answers: dict[str, Any]
) -> HttpResponse:
    rows = [
        (state, services.answer_shown(state, answers.get(state.code))) for state in filled.asked
    ]
    return render(
        request, "portal/requests/preview.html", {"filled": filled, "rows": rows, "token": token}
    )


@portal_view
def request_form(request: HttpRequest, form: str) -> HttpResponse:
    portal = portal_of(request)
    request_form = _form_or_404(portal, form)
    if request.method == "GET" and "verstuurd" in request.GET:
        return _sent(request, portal, request_form)
    filled = services.prefill(portal.ctx, portal.subject, request_form)
    if request.method != "POST":
        return _fill_in(request, filled, {})
    step = request.POST.get("stap", STEP_CHECK)
    if step not in (STEP_EDIT, STEP_SEND):
        return _check(request, portal, filled)
    try:
        answers, nonce = services.read_answers(
            request.POST.get("antwoorden", ""), request_form, portal.subject
        )
    except services.AnswersInvalid as error:
        return _fill_in(request, filled, {}, alert=str(error))
    if step == STEP_SEND:
        return _send(request, portal, filled, answers, nonce)
    return _fill_in(request, filled, answers, confirmed="ja" if filled.known else "")


def _check(
    request: HttpRequest, portal: PortalSession, filled: services.FilledForm
) -> HttpResponse:
    posted = {state.code: request.POST.get(state.code, "") for state in filled.asked}
    confirmed = request.POST.get("kloppen", "")
    if filled.known and confirmed == "nee":
        return _fill_in(request, filled, posted, confirmed=confirmed)
    errors: dict[str, list[str]] = {}
    if filled.known and confirmed != "ja":
        errors["kloppen"] = ["Geef aan of de gegevens die wij al hebben kloppen."]
    try:
        answers = services.check_answers(filled, request.POST)
    except ValidationError as error:
        errors.update(error.message_dict)
        answers = {}
    if errors:
        return _fill_in(request, filled, posted, errors=errors, confirmed=confirmed)
    token = services.sign_answers(filled.form, portal.subject, answers)
    return _preview(request, filled, token, answers)


def _send(
    request: HttpRequest,
    portal: PortalSession,
    filled: services.FilledForm,
    answers: dict[str, Any],
    nonce: str,
) -> HttpResponse:
    sent: dict[str, str] = request.session.get(SENT_KEY, {})
    confirmation = reverse("portal:request-form", args=[filled.form.code]) + "?verstuurd=" + nonce
    if nonce in sent:
        # Sent before (a double click, the back button): show that request, start no other.
        return redirect(confirmation)
    try:
        case = services.submit_request(portal.ctx, portal.subject, filled.form, answers)
    except ValidationError as error:
        # E.g. a source went down since the preview: that field must now be answered.
        return _fill_in(request, filled, answers, errors=error.message_dict, confirmed="ja")
    except GateError as error:
        return _fill_in(request, filled, answers, confirmed="ja", alert=error.message)
    # The most recent few are enough to answer a double click or a reload.
    recent = list(sent.items())[-(SENT_KEPT - 1) :]
    request.session[SENT_KEY] = {**dict(recent), nonce: str(case.uuid)}
    return redirect(confirmation)


def _sent(request: HttpRequest, portal: PortalSession, form: RequestForm) -> HttpResponse:
    case_uuid = request.session.get(SENT_KEY, {}).get(request.GET.get("verstuurd", ""))
    case = selectors.submitted_case(portal.ctx, portal.subject, case_uuid or "")
    if case is None:
        # Not sent in this session, or for someone else: start from the form.
        return redirect("portal:request-form", form=form.code)
    return render(request, "portal/requests/sent.html", {"form": form, "case": case})
