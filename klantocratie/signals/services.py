"""Writes of the signals domain: running the rules, and the human follow-up.

A run extracts, per activity, one snapshot through the gate, evaluates that
activity's rules on it and records a signal for each person a rule fired for (once
per situation). Follow-up (triage, assignment, contact attempts, closing with an
outcome from a closed list) is done by the rule's team; the resident answers offers
and reacts or contests. Nothing here decides on a benefit or imposes a sanction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.analytics.models import Snapshot
from klantocratie.analytics.snapshot import SYSTEM_ACTOR, extract_parties, extract_snapshot
from klantocratie.connectors.base import PartyRef
from klantocratie.events.services import emit
from klantocratie.parties.models import Party, PartyIdentifier
from klantocratie.privacy import gate
from klantocratie.validation import FieldErrors

from .conditions import Condition, parse_condition
from .engine import Firing, RuleToRun, evaluate_on_duckdb
from .models import (
    PICKED_UP,
    ActionKind,
    AttemptChannel,
    ContactAttempt,
    OfferState,
    Outcome,
    Reaction,
    ReactionKind,
    RunMode,
    Signal,
    SignalEvent,
    SignalRule,
    SignalRun,
    SignalStatus,
)
from .packs import granted_elements
from .rendering import explain
from .selectors import rules_in_force

EVENT_SOURCE = "urn:klantocratie:signalen"
# The creditor's register listens for this (sources/arrears/feed.py): yes or no, no more.
CREDITOR_FEEDBACK = "nl.klantocratie.vroegsignaal.teruggemeld"
SIGNAL_ELEMENT = "signals.about"
NOTE_MAX = 2000


@lru_cache(maxsize=256)
def _condition(sha256: str, spec_json: str) -> Condition:
    # Keyed by the rule's content hash: a loaded version never changes.
    spec = json.loads(spec_json)
    return parse_condition(spec["facts"], spec["when"])


def condition_of(rule: SignalRule) -> Condition:
    return _condition(rule.content_sha256, json.dumps(rule.spec, sort_keys=True))


def _by_activity(rules: Sequence[SignalRule]) -> dict[str, list[SignalRule]]:
    grouped: dict[str, list[SignalRule]] = defaultdict(list)
    for rule in rules:
        grouped[rule.activity].append(rule)
    return dict(sorted(grouped.items()))


def _extracted_elements(activity: str, rules: Sequence[SignalRule]) -> list[str]:
    """What the rules use, plus the address when granted: signals are counted per buurt."""
    elements = {code for rule in rules for code in rule.elements}
    resolved = gate.resolve_activity(activity)
    if "person.address" in granted_elements(resolved, timezone.localdate()):
        elements.add("person.address")
    return sorted(elements)


# --- running the rules ------------------------------------------------------------------


def run_rules(
    *,
    triggered_by: str,
    rules: Sequence[SignalRule] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> SignalRun:
    """Evaluate the rules in force on a fresh snapshot per activity; record new signals."""
    chosen = list(rules if rules is not None else rules_in_force())
    run = SignalRun.objects.create(
        mode=RunMode.FULL,
        started_at=timezone.now(),
        reference_date=timezone.localdate(),
        rules=[rule.identifier for rule in chosen],
        triggered_by=triggered_by,
    )
    for activity, group in _by_activity(chosen).items():

        def extracted(count: int, activity: str = activity) -> None:
            if progress:
                progress(f"extract {activity}", count)

        snapshot, subjects = extract_snapshot(
            activity, _extracted_elements(activity, group), triggered_by, progress=extracted
        )
        run.snapshots.add(snapshot)
        firings = evaluate_snapshot(snapshot, group, progress=progress)
        _record(run, group, firings, subjects)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "fired", "created"])
    return run


def evaluate_snapshot(
    snapshot: Snapshot,
    rules: Sequence[SignalRule],
    *,
    progress: Callable[[str, int], None] | None = None,
) -> list[Firing]:
    """The rules on a stored snapshot, as of its reference date: repeatable at any time."""
    return evaluate_on_duckdb(
        snapshot.path,
        [RuleToRun(rule.identifier, condition_of(rule)) for rule in rules],
        snapshot.reference_date,
        progress=(lambda rule_id: progress(f"regel {rule_id}", 0)) if progress else None,
    )


def evaluate_party(party: Party, *, triggered_by: str) -> SignalRun:
    """Re-evaluate every rule for one party only: what a new event about them needs."""
    chosen = list(rules_in_force())
    run = SignalRun.objects.create(
        mode=RunMode.INCREMENTAL,
        started_at=timezone.now(),
        reference_date=timezone.localdate(),
        rules=[rule.identifier for rule in chosen],
        triggered_by=triggered_by[:200],
    )
    for activity, group in _by_activity(chosen).items():
        table, summary = extract_parties(
            activity,
            _extracted_elements(activity, group),
            [party],
            organisation=gate.resolve_activity(activity).controller.code,
        )
        if summary.subjects == 0:
            continue
        firings = evaluate_on_duckdb(
            table,
            [RuleToRun(rule.identifier, condition_of(rule)) for rule in group],
            run.reference_date,
        )
        _record(run, group, firings, summary.subject_refs)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "fired", "created"])
    return run


def _parties(refs: Sequence[PartyRef]) -> dict[PartyRef, int]:
    by_type: dict[str, list[str]] = defaultdict(list)
    for ref in refs:
        by_type[ref.identifier_type].append(ref.value)
    found: dict[PartyRef, int] = {}
    for identifier_type, values in by_type.items():
        for start in range(0, len(values), 5000):
            rows = PartyIdentifier.objects.filter(
                identifier_type=identifier_type, value__in=values[start : start + 5000]
            ).values_list("value", "party_id")
            for value, party_id in rows:
                found[PartyRef(identifier_type, value)] = party_id
    return found


def _record(
    run: SignalRun,
    rules: Sequence[SignalRule],
    firings: Sequence[Firing],
    subjects: dict[str, PartyRef],
) -> None:
    """One signal per firing, unless the same situation was signalled before or the
    person already has an open signal of that rule."""
    by_id = {rule.identifier: rule for rule in rules}
    parties = _parties([subjects[f.subject] for f in firings if f.subject in subjects])
    run.fired += len(firings)
    if not firings:
        return
    party_ids = set(parties.values())
    known = set(
        Signal.objects.filter(rule__in=rules, party_id__in=party_ids).values_list(
            "rule_id", "party_id", "fingerprint"
        )
    )
    open_now = set(
        Signal.objects.filter(rule__code__in={r.code for r in rules}, party_id__in=party_ids)
        .exclude(status=SignalStatus.CLOSED)
        .values_list("rule__code", "party_id")
    )
    now = timezone.now()
    new: list[Signal] = []
    for firing in firings:
        rule = by_id[firing.rule]
        ref = subjects.get(firing.subject)
        party_id = parties.get(ref) if ref is not None else None
        if party_id is None:
            continue
        fingerprint = firing.fingerprint
        if (rule.pk, party_id, fingerprint) in known or (rule.code, party_id) in open_now:
            continue
        condition = condition_of(rule)
        new.append(
            Signal(
                rule=rule,
                party_id=party_id,
                run=run,
                subject=firing.subject,
                fingerprint=fingerprint,
                reference_date=run.reference_date,
                facts=firing.facts,
                evidence=list(firing.evidence),
                explanation=explain(rule.explanation, condition, firing.facts),
                resident_explanation=explain(rule.resident_explanation, condition, firing.facts),
                buurt_code=firing.buurt_code,
                team=rule.team,
                offer_state=OfferState.OPEN if rule.action == ActionKind.OFFER else "",
                created_at=now,
                delete_after=run.reference_date + timedelta(days=rule.retention_days),
            )
        )
        open_now.add((rule.code, party_id))
    with transaction.atomic():
        for start in range(0, len(new), 2000):
            Signal.objects.bulk_create(new[start : start + 2000])
        created = Signal.objects.filter(run=run, fingerprint__in=[s.fingerprint for s in new])
        SignalEvent.objects.bulk_create(
            SignalEvent(
                signal=signal,
                at=now,
                actor=SYSTEM_ACTOR,
                kind="aangemaakt",
                description=f"Signaal van regel {signal.rule.name} (versie {signal.rule.version}).",
            )
            for signal in created.select_related("rule")
        )
        for signal in created.select_related("rule", "team"):
            emit(
                "nl.klantocratie.signaal.aangemaakt",
                source=EVENT_SOURCE,
                subject=str(signal.uuid),
                data={"regel": signal.rule.identifier, "team": signal.team.code},
            )
    run.created += len(new)


# --- follow-up by the team ------------------------------------------------------------


def _history(signal: Signal, actor: str, kind: str, description: str) -> None:
    SignalEvent.objects.create(
        signal=signal, at=timezone.now(), actor=actor, kind=kind, description=description
    )


def in_team(ctx: gate.AccessContext, signal: Signal) -> bool:
    team = signal.team
    return (
        team.organisation.code == ctx.organisation
        and team.role == ctx.role
        and team.activity == ctx.activity
    )


def check_reach(ctx: gate.AccessContext, signal: Signal) -> None:
    """Only the rule's team, or the resident the signal is about, may act on it.

    Checked before anything else about the signal is said (even that it is closed), so
    a guessed id reveals nothing.
    """
    if ctx.role == Role.RESIDENT:
        reason = "" if ctx.actor_party_id == signal.party_id else "Dit signaal gaat niet over u."
    elif not in_team(ctx, signal):
        reason = f"Dit signaal staat op de werklijst van {signal.team.name}."
    else:
        reason = ""
    if reason:
        gate.record_refusal(ctx, signal.party, "signaal", reason)
        raise PermissionDenied(reason)


@contextmanager
def guarded(
    ctx: gate.AccessContext, signal: Signal, *, operation: str, change: bool = True
) -> Iterator[str]:
    """Work on a signal: its team (or the resident it is about), through the gate."""
    check_reach(ctx, signal)
    with gate.access(
        ctx, [signal.party], [SIGNAL_ELEMENT], operation=operation, change=change
    ) as permit:
        yield permit.trace_id


def _open(signal: Signal) -> None:
    if not signal.is_open:
        raise ValidationError({"status": "Dit signaal is afgesloten."})


def triage(ctx: gate.AccessContext, signal: Signal, *, note: str = "") -> Signal:
    check_reach(ctx, signal)
    _open(signal)
    with guarded(ctx, signal, operation="signaal beoordelen"):
        if signal.status == SignalStatus.NEW:
            signal.status = SignalStatus.TRIAGED
            signal.save(update_fields=["status"])
        _history(signal, ctx.actor, "beoordeeld", note.strip() or "Beoordeeld.")
    return signal


def assign(ctx: gate.AccessContext, signal: Signal, user: AbstractBaseUser) -> Signal:
    check_reach(ctx, signal)
    _open(signal)
    with guarded(ctx, signal, operation="signaal toewijzen"):
        signal.assigned_to = user  # type: ignore[assignment]
        signal.status = SignalStatus.IN_PROGRESS
        signal.save(update_fields=["assigned_to", "status"])
        _history(signal, ctx.actor, "toegewezen", f"Toegewezen aan {user.get_username()}.")
    return signal


def record_attempt(
    ctx: gate.AccessContext,
    signal: Signal,
    *,
    channel: str,
    reached: bool,
    note: str = "",
    at: datetime | None = None,
) -> ContactAttempt:
    check_reach(ctx, signal)
    _open(signal)
    errors = FieldErrors()
    if channel not in AttemptChannel.values:
        errors.add("channel", "Kies brief, telefoon of huisbezoek.")
    if len(note) > NOTE_MAX:
        errors.add("note", f"De notitie is langer dan {NOTE_MAX} tekens.")
    moment = at or timezone.now()
    if moment > timezone.now() + timedelta(minutes=5):
        errors.add("at", "Een contactpoging kan niet in de toekomst liggen.")
    errors.raise_if_any()
    with guarded(ctx, signal, operation="contactpoging vastleggen"):
        attempt = ContactAttempt.objects.create(
            signal=signal,
            channel=channel,
            at=moment,
            reached=reached,
            note=note.strip(),
            by=ctx.actor,
        )
        if signal.status in (SignalStatus.NEW, SignalStatus.TRIAGED):
            signal.status = SignalStatus.IN_PROGRESS
            signal.save(update_fields=["status"])
        outcome = "bereikt" if reached else "niet bereikt"
        _history(signal, ctx.actor, "contactpoging", f"{attempt.get_channel_display()}: {outcome}.")
    return attempt


def _report_to_creditor(signal: Signal, outcome: str, trace_id: str) -> None:
    """A creditor who reported arrears hears only whether the report was picked up."""
    if not signal.rule.reports_back_to_creditor:
        return
    for item in signal.evidence:
        if item["element"] != "arrears.reports":
            continue
        emit(
            CREDITOR_FEEDBACK,
            source=EVENT_SOURCE,
            subject=item["reference"],
            data={
                "schuldeiser": item["organisation"],
                "kenmerk": item["reference"],
                "opgepakt": outcome in PICKED_UP,
                "datum": timezone.localdate().isoformat(),
            },
            trace_id=trace_id,
        )


def close(ctx: gate.AccessContext, signal: Signal, *, outcome: str, note: str = "") -> Signal:
    """Close with an outcome from the rule's closed list; creditors hear only yes/no."""
    check_reach(ctx, signal)
    _open(signal)
    errors = FieldErrors()
    if outcome not in signal.rule.outcomes:
        allowed = ", ".join(Outcome(o).label for o in signal.rule.outcomes)
        errors.add("outcome", f"Kies een uitkomst uit de lijst: {allowed}.")
    if len(note) > NOTE_MAX:
        errors.add("note", f"De toelichting is langer dan {NOTE_MAX} tekens.")
    errors.raise_if_any()
    now = timezone.now()
    with guarded(ctx, signal, operation="signaal afsluiten") as trace_id:
        signal.status = SignalStatus.CLOSED
        signal.outcome = outcome
        signal.closing_note = note.strip()
        signal.closed_at = now
        signal.save(update_fields=["status", "outcome", "closing_note", "closed_at"])
        _history(signal, ctx.actor, "afgesloten", f"Afgesloten: {Outcome(outcome).label}.")
        _report_to_creditor(signal, outcome, trace_id)
    return signal


# --- the resident --------------------------------------------------------------------

OFFER_ANSWERS = {
    "accept": OfferState.ACCEPTED,
    "decline": OfferState.DECLINED,
    "later": OfferState.LATER,
}


def answer_offer(ctx: gate.AccessContext, signal: Signal, answer: str) -> Signal:
    """Accept, decline or "not now". A declined offer is kept only briefly."""
    check_reach(ctx, signal)
    if answer not in OFFER_ANSWERS:
        raise ValidationError({"answer": "Kies aannemen, afwijzen of niet nu."})
    if signal.offer_state not in (OfferState.OPEN, OfferState.LATER):
        raise ValidationError({"answer": "Op dit aanbod heeft u al geantwoord."})
    _open(signal)
    now = timezone.now()
    state = OFFER_ANSWERS[answer]
    with guarded(ctx, signal, operation="aanbod beantwoorden"):
        signal.offer_state = state
        signal.offer_answered_at = now
        fields = ["offer_state", "offer_answered_at"]
        if state == OfferState.DECLINED:
            signal.delete_after = min(
                signal.delete_after,
                timezone.localdate(now) + timedelta(days=signal.rule.declined_retention_days),
            )
            fields.append("delete_after")
        signal.save(update_fields=fields)
        _history(signal, ctx.actor, "aanbod", f"Aanbod {state.label.lower()}.")
    return signal


def react(
    ctx: gate.AccessContext,
    signal: Signal,
    *,
    kind: str,
    text: str,
    reference: str = "",
) -> Reaction:
    """The resident's reaction; contesting a fact sends a correction request to its source."""
    check_reach(ctx, signal)
    errors = FieldErrors()
    text = text.strip()
    if kind not in ReactionKind.values:
        errors.add("kind", "Kies reactie of bezwaar.")
    if not text:
        errors.add("text", "Schrijf uw reactie.")
    if len(text) > NOTE_MAX:
        errors.add("text", f"Uw reactie is langer dan {NOTE_MAX} tekens.")
    contested = next((item for item in signal.evidence if item["reference"] == reference), None)
    if reference and contested is None:
        errors.add("reference", "Dit gegeven hoort niet bij dit signaal.")
    errors.raise_if_any()
    with guarded(ctx, signal, operation="reageren op signaal") as trace_id:
        reaction = Reaction.objects.create(
            signal=signal,
            kind=kind,
            text=text,
            reference=reference,
            source=contested["source"] if contested else "",
            at=timezone.now(),
        )
        if kind == ReactionKind.CONTEST:
            signal.contested = True
            signal.save(update_fields=["contested"])
        _history(signal, ctx.actor, kind, ReactionKind(kind).label)
        if contested is not None:
            # The owning source corrects its own record; the signal never does.
            emit(
                "nl.klantocratie.gegeven.betwist",
                source=EVENT_SOURCE,
                subject=contested["reference"],
                data={
                    "bron": contested["source"],
                    "gegeven": contested["element"],
                    "kenmerk": contested["reference"],
                    "toelichting": text,
                },
                trace_id=trace_id,
            )
    return reaction


# --- retention -------------------------------------------------------------------------


@transaction.atomic
def close_on_objection(party: Party, activities: Sequence[str], *, receipt: str) -> int:
    """The resident objected to proactive outreach: their open signals under those
    activities close at once, so no team approaches them any more, and are kept only as
    briefly as a declined offer. Returns how many closed."""
    today = timezone.localdate()
    closed = 0
    for signal in (
        Signal.objects.filter(party=party, rule__activity__in=activities)
        .exclude(status=SignalStatus.CLOSED)
        .select_related("rule")
    ):
        signal.status = SignalStatus.CLOSED
        signal.outcome = Outcome.DECLINED
        signal.closing_note = f"Bezwaar tegen proactief benaderen (bewijsnummer {receipt})."
        signal.closed_at = timezone.now()
        signal.delete_after = min(
            signal.delete_after, today + timedelta(days=signal.rule.declined_retention_days)
        )
        signal.save(
            update_fields=["status", "outcome", "closing_note", "closed_at", "delete_after"]
        )
        _history(
            signal,
            "inwoner",
            "afgesloten",
            "Afgesloten: de inwoner maakte bezwaar tegen proactief benaderen.",
        )
        _report_to_creditor(signal, Outcome.DECLINED, "")
        closed += 1
    return closed


def purge_expired(today: date | None = None) -> dict[str, int]:
    """Delete signals (with their follow-up) and snapshots past their retention."""
    today = today or timezone.localdate()
    expired = Signal.objects.filter(delete_after__lt=today)
    signals = expired.count()
    expired.delete()
    snapshots = 0
    cutoff = today - timedelta(days=settings.ANALYTICS_SNAPSHOT_RETENTION_DAYS)
    for snapshot in Snapshot.objects.filter(reference_date__lt=cutoff):
        Path(snapshot.path).unlink(missing_ok=True)
        snapshot.delete()
        snapshots += 1
    return {"signals": signals, "snapshots": snapshots}
