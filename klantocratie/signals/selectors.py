"""Reads of the signals domain: the public catalogue, worklists and a person's signals."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from klantocratie.privacy import gate
from klantocratie.privacy.models import ProcessingActivity
from klantocratie.registry.models import DataElement, Organisation, Source

from .models import Signal, SignalRule, SignalStatus, Team


def rules_in_force(on: date | None = None) -> QuerySet[SignalRule]:
    """The rule versions valid on a date: what runs, and what the public page lists."""
    on = on or timezone.localdate()
    return (
        SignalRule.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("team", "team__organisation")
        .order_by("name")
    )


def rule_versions(code: str) -> QuerySet[SignalRule]:
    return SignalRule.objects.filter(code=code).select_related("team").order_by("-version")


def activity_of(rule: SignalRule) -> ProcessingActivity | None:
    """The register entry a rule version runs under, as it stood while that version applied."""
    today = timezone.localdate()
    on = min(rule.valid_to or today, today)
    return (
        ProcessingActivity.objects.filter(code=rule.activity, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("controller")
        .order_by("-version")
        .first()
    )


def elements_of(rule: SignalRule) -> QuerySet[DataElement]:
    """The data a rule uses, with the source and organisation that hold each element."""
    return (
        DataElement.objects.filter(code__in=rule.elements)
        .select_related("source", "source__organisation")
        .order_by("display_order", "label")
    )


def origin_names(signals: list[Signal]) -> tuple[dict[str, str], dict[str, str]]:
    """Names of the organisations and sources the signals' evidence came from, by code."""
    organisations = {item["organisation"] for s in signals for item in s.evidence}
    sources = {item["source"] for s in signals for item in s.evidence}
    return (
        dict(Organisation.objects.filter(code__in=organisations).values_list("code", "name")),
        dict(Source.objects.filter(code__in=sources).values_list("code", "name")),
    )


def get_signal(signal_uuid: UUID | str) -> Signal | None:
    """One signal with its follow-up; who may see it is for the gate to decide."""
    return (
        Signal.objects.filter(uuid=signal_uuid)
        .select_related("rule", "team", "team__organisation", "assigned_to", "party")
        .prefetch_related("attempts", "reactions", "history")
        .first()
    )


def teams_of(ctx: gate.AccessContext) -> QuerySet[Team]:
    """The teams whose worklists someone in this membership works."""
    return Team.objects.filter(
        organisation__code=ctx.organisation, role=ctx.role, activity=ctx.activity
    ).order_by("name")


SORTS = {
    "nieuwste": ("-created_at", "-id"),
    "oudste": ("created_at", "id"),
    "urgentie": ("severity_rank", "-created_at"),
}


def worklist(
    ctx: gate.AccessContext,
    *,
    status: str = "open",
    rule: str = "",
    team: str = "",
    mine: bool = False,
    search: str = "",
    sort: str = "nieuwste",
) -> QuerySet[Signal]:
    """The signals of the requester's teams. Rows carry no identities, so listing them
    reads no personal data; opening one goes through the gate."""
    signals = Signal.objects.filter(team__in=teams_of(ctx)).select_related("rule", "team")
    if status == "open":
        signals = signals.exclude(status=SignalStatus.CLOSED)
    elif status in SignalStatus.values:
        signals = signals.filter(status=status)
    if rule:
        signals = signals.filter(rule__code=rule)
    if team:
        signals = signals.filter(team__code=team)
    if mine:
        signals = signals.filter(assigned_to__username=ctx.actor)
    if search:
        signals = signals.filter(Q(rule__name__icontains=search) | Q(buurt_code__icontains=search))
    signals = signals.annotate(
        severity_rank=Case(
            When(rule__severity="hoog", then=Value(0)),
            When(rule__severity="middel", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return signals.order_by(*SORTS.get(sort, SORTS["nieuwste"]))


def signals_about(party_id: int) -> QuerySet[Signal]:
    """Every signal about a person, for their own page (read after the gate allows it)."""
    return (
        Signal.objects.filter(party_id=party_id)
        .select_related("rule", "team")
        .prefetch_related("reactions", "history")
        .order_by("-created_at", "-id")
    )
