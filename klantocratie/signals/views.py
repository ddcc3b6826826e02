"""Pages of proactive signals: the public rule catalogue, a team's worklist, the signal
page where the team follows a signal up, and the resident's own signals.

Anyone may read the rules, without logging in. A worklist row names no one, so listing
reads no personal data; opening a signal goes through the gate for its team only, and
reads the person's contact details through the gate as well. A resident reaches only
the signals about themselves. Views stay thin: a form for the shape of a request, one
service call, its errors next to the fields they are about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from klantocratie.accounts.permissions import access_context, role_required
from klantocratie.accounts.roles import Role
from klantocratie.analytics.vocabulary import FACT_KINDS
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.privacy.models import ProcessingActivity
from klantocratie.registry.models import DataElement
from klantocratie.validation import messages_of, report_to_form

from . import selectors, services
from .forms import AttemptForm, CloseForm, TeamForm, TriageForm
from .models import Outcome, Signal, SignalRule, SignalStatus
from .presentation import evidence_rows, fact_lines

TEAM_ROLES = (Role.SOCIAL_WORKER, Role.CASE_WORKER, Role.KCC_AGENT)
PAGE_SIZE = 25
# What a team needs to make contact; each is read through the gate, and may be refused.
CONTACT_ELEMENTS = {"person.name": "Naam", "person.address": "Adres", "person.phone": "Telefoon"}
STATUS_FILTERS = [("open", "Open"), ("alle", "Alle"), *SignalStatus.choices]
SORT_LABELS = {"nieuwste": "Nieuwste eerst", "oudste": "Oudste eerst", "urgentie": "Urgentie"}


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "signals/denied.html", {"message": message}, status=403)


# --- the public catalogue -------------------------------------------------------------


@dataclass(frozen=True)
class PublicRule:
    rule: SignalRule
    activity: ProcessingActivity | None
    elements: list[DataElement]
    # Each fact the condition names: its label and what it is counted from.
    facts: list[tuple[str, list[str]]]


def _public(rule: SignalRule) -> PublicRule:
    condition = services.condition_of(rule)
    return PublicRule(
        rule=rule,
        activity=selectors.activity_of(rule),
        elements=list(selectors.elements_of(rule)),
        facts=[
            (fact.label, [FACT_KINDS[kind].meaning for kind in fact.kinds])
            for fact in condition.facts
        ],
    )


def rules(request: HttpRequest) -> HttpResponse:
    """Every rule in force, in plain Dutch. Public: no login."""
    entries = [_public(rule) for rule in selectors.rules_in_force()]
    return render(request, "signals/rules.html", {"entries": entries})


def rule(request: HttpRequest, code: str) -> HttpResponse:
    """Every version of one rule, with the dates each applied. Public: no login."""
    versions = list(selectors.rule_versions(code))
    if not versions:
        raise Http404("Onbekende signaleringsregel.")
    in_force = set(selectors.rules_in_force().filter(code=code).values_list("pk", flat=True))
    return render(
        request,
        "signals/rule.html",
        {
            "code": code,
            "name": versions[0].name,
            "entries": [_public(version) for version in versions],
            "in_force": in_force,
        },
    )


# --- the team's worklist and signal page ----------------------------------------------


@dataclass(frozen=True)
class WorklistFilter:
    status: str
    rule: str
    team: str
    mine: bool
    search: str
    sort: str


@role_required(*TEAM_ROLES)
def worklist(request: HttpRequest) -> HttpResponse:
    ctx = access_context(request)
    teams = list(selectors.teams_of(ctx))
    if not teams:
        return render(request, "signals/worklist.html", {"teams": []})
    status = request.GET.get("status", "open")
    if status not in dict(STATUS_FILTERS):
        status = "open"
    sort = request.GET.get("sorteer", "nieuwste")
    if sort not in SORT_LABELS:
        sort = "nieuwste"
    filters = WorklistFilter(
        status=status,
        rule=request.GET.get("regel", ""),
        team=request.GET.get("team", ""),
        mine=request.GET.get("mijn") == "1",
        search=request.GET.get("q", "").strip()[:80],
        sort=sort,
    )
    signals = selectors.worklist(
        ctx,
        status=filters.status,
        rule=filters.rule,
        team=filters.team,
        mine=filters.mine,
        search=filters.search,
        sort=filters.sort,
    ).select_related("assigned_to")
    page = Paginator(signals, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "signals/worklist.html",
        {
            "teams": teams,
            "page": page,
            "filters": filters,
            "rules": selectors.rules_in_force().filter(team__in=teams),
            "statuses": STATUS_FILTERS,
            "sorts": SORT_LABELS,
            "querystring": params.urlencode(),
        },
    )


def _signal_or_404(signal_uuid: UUID) -> Signal:
    signal = selectors.get_signal(signal_uuid)
    if signal is None:
        raise Http404("Onbekend signaal.")
    return signal


@dataclass(frozen=True)
class ContactLine:
    label: str
    text: str
    value: Any
    source: str


def _plain(value: Any) -> str:
    """A name or address on one line; other shapes are rendered generically."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("volledige_naam"):
        return str(value["volledige_naam"])
    if isinstance(value, dict) and value.get("straat"):
        addition = value.get("huisnummertoevoeging")
        number = f"{value.get('huisnummer', '')}{value.get('huisletter') or ''}"
        street = f"{value['straat']} {number}{f'-{addition}' if addition else ''}"
        return f"{street}, {value.get('postcode', '')} {value.get('woonplaats', '')}".strip()
    return ""


def _contact(ctx: gate.AccessContext, party: Party) -> tuple[list[ContactLine], list[str]]:
    """The contact details the gate gives this team, and why any are missing."""
    try:
        result = gate.read(ctx, party, list(CONTACT_ELEMENTS), operation="contact bij signaal")
    except GateError as error:
        return [], [error.message]
    lines = [
        ContactLine(label, _plain(value.value), value.value, value.source_name)
        for code, label in CONTACT_ELEMENTS.items()
        if (value := result.values.get(code)) is not None
    ]
    missing = [
        f"{label}: {result.missing.get(code, 'niet beschikbaar voor uw verwerking')}"
        for code, label in CONTACT_ELEMENTS.items()
        if code not in result.values
    ]
    return lines, missing


TEAM_FORMS: dict[str, type[TeamForm]] = {
    "triage": TriageForm,
    "attempt": AttemptForm,
    "close": CloseForm,
}


def _signal_page(
    request: HttpRequest,
    ctx: gate.AccessContext,
    signal: Signal,
    *,
    bound: tuple[str, TeamForm] | None = None,
) -> HttpResponse:
    try:
        with services.guarded(ctx, signal, operation="signaal inzien", change=False):
            pass
    except PermissionDenied as error:
        return _denied(request, str(error))
    except GateError as error:
        return _denied(request, error.message)
    contact, contact_missing = _contact(ctx, signal.party)
    organisations, sources = selectors.origin_names([signal])
    page_forms = {key: form_class(signal=signal) for key, form_class in TEAM_FORMS.items()}
    if bound is not None:
        page_forms[bound[0]] = bound[1]
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "rule": signal.rule,
            "facts": fact_lines(signal),
            "evidence": evidence_rows(signal, organisations, sources),
            "contact": contact,
            "contact_missing": contact_missing,
            "forms": page_forms,
            "outcome": Outcome(signal.outcome).label if signal.outcome else "",
            "assigned_to_me": signal.assigned_to_id == request.user.pk,
        },
    )


@role_required(*TEAM_ROLES)
def detail(request: HttpRequest, signal_uuid: UUID) -> HttpResponse:
    signal = _signal_or_404(signal_uuid)
    ctx = access_context(request)
    if not services.in_team(ctx, signal):
        return _denied(request, f"Dit signaal staat op de werklijst van {signal.team.name}.")
    return _signal_page(request, ctx, signal)


def _triage(ctx: gate.AccessContext, signal: Signal, data: dict[str, Any]) -> str:
    services.triage(ctx, signal, note=data["note"])
    return "Het signaal is beoordeeld."


def _attempt(ctx: gate.AccessContext, signal: Signal, data: dict[str, Any]) -> str:
    services.record_attempt(
        ctx, signal, channel=data["channel"], reached=data["reached"], note=data["note"]
    )
    return "De contactpoging is vastgelegd."


def _close(ctx: gate.AccessContext, signal: Signal, data: dict[str, Any]) -> str:
    services.close(ctx, signal, outcome=data["outcome"], note=data["note"])
    return f"Het signaal is afgesloten: {Outcome(data['outcome']).label}."


# URL action -> the page's form key and the service call behind it.
TEAM_ACTIONS: dict[str, tuple[str, Callable[[gate.AccessContext, Signal, dict[str, Any]], str]]] = {
    "beoordelen": ("triage", _triage),
    "contactpoging": ("attempt", _attempt),
    "afsluiten": ("close", _close),
}


@require_POST
@role_required(*TEAM_ROLES)
def act(request: HttpRequest, signal_uuid: UUID, action: str) -> HttpResponse:
    signal = _signal_or_404(signal_uuid)
    ctx = access_context(request)
    # Checked before the service so nothing about another team's signal (is it
    # closed, which outcomes it allows) shows in an error message.
    if not services.in_team(ctx, signal):
        return _denied(request, f"Dit signaal staat op de werklijst van {signal.team.name}.")
    target = reverse("signals:detail", args=[signal.uuid])
    if action == "toewijzen":
        try:
            services.assign(ctx, signal, request.user)  # type: ignore[arg-type]
        except (ValidationError, GateError) as error:
            messages.error(request, " ".join(messages_of(error)))
        else:
            messages.success(request, "Het signaal staat op uw naam.")
        return redirect(target)
    if action not in TEAM_ACTIONS:
        raise Http404("Onbekende handeling.")
    key, handler = TEAM_ACTIONS[action]
    form = TEAM_FORMS[key](request.POST, signal=signal)
    if form.is_valid():
        try:
            message = handler(ctx, signal, form.cleaned_data)
        except (ValidationError, GateError) as error:
            report_to_form(form, error)
        else:
            messages.success(request, message)
            return redirect(target)
    # Read again: a refused change may have altered the object before it rolled back.
    return _signal_page(request, ctx, _signal_or_404(signal.uuid), bound=(key, form))
