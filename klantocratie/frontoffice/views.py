"""The desk: find the client, see everything, answer, register, hand over, change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from klantocratie.accounts.permissions import access_context, role_required
from klantocratie.accounts.roles import CLIENT_VIEW_ROLES
from klantocratie.cases.selectors import first_line_case_types
from klantocratie.connectors.base import SourceUnavailable
from klantocratie.connectors.models import ChangeStatus
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import get_party
from klantocratie.privacy.errors import GateError

from . import selectors, services
from .forms import (
    CORRESPONDENCE_CHOICES,
    ChangeForm,
    ContactForm,
    DeskSearchForm,
    HandoverForm,
)

# How each outcome of a change is shown: delivered, queued for retry, rejected.
_CHANGE_LEVELS = {
    ChangeStatus.DELIVERED: "success",
    ChangeStatus.PENDING: "warning",
    ChangeStatus.REJECTED: "error",
}


@role_required(*CLIENT_VIEW_ROLES)
def desk(request: HttpRequest) -> HttpResponse:
    # POST keeps BSNs, names and birth dates out of URLs, history and access logs.
    form = DeskSearchForm(request.POST or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["query"]
        try:
            outcome = selectors.search_clients(access_context(request), query)
        except (GateError, SourceUnavailable) as error:
            form.add_error("query", getattr(error, "message", str(error)))
        else:
            if len(outcome.candidates) == 1 and not outcome.truncated:
                return redirect("frontoffice:client", party_uuid=outcome.candidates[0].party.uuid)
            if not outcome.candidates:
                form.add_error(
                    "query",
                    outcome.message or f"Geen klant gevonden op {query.label} {query.value}.",
                )
                outcome = None
    return render(request, "frontoffice/desk.html", {"form": form, "outcome": outcome})


def _party(party_uuid: str) -> Party:
    party = get_party(party_uuid)
    if party is None:
        raise Http404("Onbekende klant.")
    return party


def _client_page(
    request: HttpRequest, party: Party, status: int = 200, **forms: Any
) -> HttpResponse:
    ctx = access_context(request)
    try:
        client = selectors.desk_client(ctx, party)
    except GateError as error:
        return render(request, "clientview/denied.html", {"error": error}, status=403)
    question = request.GET.get("vraag", "")[:200]
    numbers = selectors.contact_numbers(client)
    # Set after a registration or hand-over: numbers only, never personal data.
    latest = request.GET.get("contact", "")[:20]
    if latest and latest not in numbers:
        numbers.insert(0, latest)
    context = {
        "client": client,
        "view": client.view,
        "search_form": DeskSearchForm(autofocus=False),
        "question": question,
        "knowledge": selectors.knowledge_for(client.life_events, question),
        "contact_form": forms.get("contact_form")
        or ContactForm(
            channels=selectors.desk_channels(),
            # The question the agent looked up is the client's question: ask it once.
            initial={"channel": "telefoon", "question": question},
        ),
        "handover_form": forms.get("handover_form")
        or HandoverForm(
            contacts=numbers, actors=selectors.handover_actors(), initial={"contact": latest}
        ),
        "registered_contact": latest if "taak" not in request.GET else "",
        "created_task": request.GET.get("taak", "")[:20],
        "correspondence_choices": CORRESPONDENCE_CHOICES,
        "correspondence_labels": dict(CORRESPONDENCE_CHOICES),
        "change_element": forms.get("change_element", ""),
        "change_outcome": forms.get("change_outcome", ""),
        "change_level": forms.get("change_level", ""),
        "change_message": forms.get("change_message", forms.get("change_error", "")),
        "change_value": forms.get("change_value", ""),
        "first_line_case_types": first_line_case_types(),
    }
    return render(request, "frontoffice/client.html", context, status=status)


@role_required(*CLIENT_VIEW_ROLES)
def client(request: HttpRequest, party_uuid: str) -> HttpResponse:
    return _client_page(request, _party(party_uuid))


def _back(party: Party, anchor: str, **params: str) -> HttpResponse:
    url = reverse("frontoffice:client", kwargs={"party_uuid": party.uuid})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return redirect(f"{url}{'?' + query if query else ''}#{anchor}")


@require_POST
@role_required(*CLIENT_VIEW_ROLES)
def change(request: HttpRequest, party_uuid: str) -> HttpResponse:
    """Change one element and show the source's answer beside the field that changed."""
    party = _party(party_uuid)
    form = ChangeForm(request.POST)
    if not form.is_valid():
        return _client_page(request, party, status=400, change_error="Kies een gegeven.")
    element, value = form.cleaned_data["element"], form.cleaned_data["value"]
    try:
        result = services.change_basic_data(access_context(request), party, element, value)
    except ValidationError as error:
        outcome, level, message = "error", "error", " ".join(error.messages)
    except GateError as error:
        outcome, level, message = "error", "error", error.message
    else:
        outcome, message = result.status, result.message
        level = _CHANGE_LEVELS[ChangeStatus(result.status)]
    return _client_page(
        request,
        party,
        status=400 if level == "error" else 200,
        change_element=element,
        change_outcome=outcome,
        change_level=level,
        change_message=message,
        change_value=value if level == "error" else "",
    )


@require_POST
@role_required(*CLIENT_VIEW_ROLES)
def register_contact(request: HttpRequest, party_uuid: str) -> HttpResponse:
    party = _party(party_uuid)
    form = ContactForm(request.POST, channels=selectors.desk_channels())
    if form.is_valid():
        try:
            contact = services.register_desk_contact(
                access_context(request), party, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except GateError as error:
            form.add_error(None, error.message)
        else:
            return _back(party, "overdracht", contact=contact.nummer)
    return _client_page(request, party, status=400, contact_form=form)


@require_POST
@role_required(*CLIENT_VIEW_ROLES)
def hand_over(request: HttpRequest, party_uuid: str) -> HttpResponse:
    party = _party(party_uuid)
    contact = request.POST.get("contact", "")
    form = HandoverForm(request.POST, contacts=[contact], actors=selectors.handover_actors())
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = services.hand_over(
                access_context(request),
                party,
                kind=data["kind"],
                contact_number=data["contact"],
                assign_to=[data["assign_to"]],
                action=data["action"],
                explanation=data["explanation"],
                phone=data["phone"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except GateError as error:
            form.add_error(None, error.message)
        else:
            return _back(party, "overdracht", contact=data["contact"], taak=task.nummer)
    return _client_page(request, party, status=400, handover_form=form)
