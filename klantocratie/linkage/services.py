"""Linking partner records without a BSN to parties, and the decisions on those links.

A run first links records whose partner did deliver a BSN the register knows; the rest
are compared with every person's identity, extracted through the privacy gate under
`koppelen-partnergegevens`, by a model trained for the source. Each record gets at most
one link: automatic when the best candidate is certain and clearly ahead of the next,
for review when it is only likely, none when it is neither. Decisions (accept, reject,
undo) are changes through the gate, so they are logged like any other change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from klantocratie.accounts.roles import Role
from klantocratie.parties.models import IdentifierType, Party, PartyIdentifier
from klantocratie.privacy import gate
from klantocratie.privacy.gate import AccessContext, ChangeResult, IdentityRow
from klantocratie.registry.models import Source

from . import engine
from .connector import ACCEPT, REJECT, UNDO
from .models import IDENTITY_FIELDS, Link, LinkageModel, LinkMethod, LinkStatus, PartnerRecord
from .selectors import current_model, unlinked_records

ACTIVITY = "koppelen-partnergegevens"
SYSTEM_ACTOR = "koppelomgeving"

_PERSON_COLUMNS = ("unique_id", *IDENTITY_FIELDS, "previous_postcodes")
_RECORD_FIELDS = IDENTITY_FIELDS


@dataclass(frozen=True)
class LinkageRun:
    source: str
    model_version: str
    trained: bool
    records: int
    persons: int
    by_bsn: int
    automatic: int
    review: int
    unlinked: int
    seconds: float


def thresholds(source: Source) -> tuple[float, float]:
    """(upper, lower) match probability for a source: its own config or the default."""
    own = (source.config or {}).get("koppeling", {})
    upper = float(own.get("boven", settings.LINKAGE_UPPER_THRESHOLD))
    lower = float(own.get("onder", settings.LINKAGE_LOWER_THRESHOLD))
    if not 0 < lower < upper <= 1:
        raise ValidationError(
            {"koppeling": f"Drempels van {source.code} moeten 0 < onder < boven <= 1 zijn."}
        )
    return upper, lower


def system_context() -> AccessContext:
    """The batch environment, acting for the controller of the linkage activity."""
    activity = gate.resolve_activity(ACTIVITY)
    return AccessContext(
        actor=SYSTEM_ACTOR,
        role=Role.ANALYTICS,
        organisation=activity.controller.code,
        activity=ACTIVITY,
    )


def _records_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    rows = list(records)
    columns: dict[str, list[Any]] = {"unique_id": [str(row["pk"]) for row in rows]}
    for field in _RECORD_FIELDS:
        columns[field] = [row[field] for row in rows]
    return pa.table(columns)


class _PersonsCollector:
    """The gate's sink: identities arrive in batches and become one Arrow table."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in _PERSON_COLUMNS}

    def __call__(self, batch: list[IdentityRow]) -> None:
        for row in batch:
            for name, value in zip(_PERSON_COLUMNS, row, strict=True):
                self.columns[name].append(value)

    def table(self) -> pa.Table:
        return pa.table(
            {
                **{n: self.columns[n] for n in _PERSON_COLUMNS if n != "previous_postcodes"},
                "previous_postcodes": pa.array(
                    self.columns["previous_postcodes"], type=pa.list_(pa.string())
                ),
            }
        )


def _link_by_bsn(source: Source) -> int:
    """Records whose partner delivered a BSN the register knows are linked on it."""
    records = dict(unlinked_records(source.pk).exclude(bsn="").values_list("bsn", "pk"))
    if not records:
        return 0
    parties = dict(
        PartyIdentifier.objects.filter(
            identifier_type=IdentifierType.BSN, value__in=list(records)
        ).values_list("value", "party_id")
    )
    links = [
        Link(
            record_id=records[bsn],
            party_id=party_id,
            method=LinkMethod.BSN,
            match_probability=1.0,
            status=LinkStatus.AUTOMATIC,
        )
        for bsn, party_id in parties.items()
    ]
    Link.objects.bulk_create(links, batch_size=5_000)
    return len(links)


def _parties_for(bsns: set[str]) -> dict[str, int]:
    """BSN -> party id, registering a party for a resident the platform has not met."""
    known = dict(
        PartyIdentifier.objects.filter(
            identifier_type=IdentifierType.BSN, value__in=list(bsns)
        ).values_list("value", "party_id")
    )
    for bsn in sorted(bsns - known.keys()):
        party = Party.objects.create(party_type="person")
        PartyIdentifier.objects.create(party=party, identifier_type=IdentifierType.BSN, value=bsn)
        known[bsn] = party.pk
    return known


def _levels(candidate: engine.Candidate) -> list[dict[str, Any]]:
    return [
        {
            "vergelijking": level.comparison,
            "niveau": level.level,
            "gewicht": round(level.match_weight, 2),
        }
        for level in candidate.levels
    ]


def run_linkage(
    source: Source,
    *,
    retrain: bool = False,
    on_progress: Callable[[str], None] | None = None,
) -> LinkageRun:
    """Link the source's records that have no link yet (see the module docstring)."""
    started = time.monotonic()
    say = on_progress or (lambda _message: None)
    upper, lower = thresholds(source)
    with transaction.atomic():
        by_bsn = _link_by_bsn(source)
    say(f"{by_bsn} records gekoppeld op aangeleverd BSN")

    pending = _records_table(unlinked_records(source.pk).values("pk", *_RECORD_FIELDS))
    model = current_model(source.pk)
    if pending.num_rows == 0 and not retrain:
        return LinkageRun(
            source.code,
            model.version if model else "",
            False,
            0,
            0,
            by_bsn,
            0,
            0,
            0,
            time.monotonic() - started,
        )

    persons = _PersonsCollector()
    summary = gate.extract_identities(
        system_context(), persons, on_progress=lambda n: say(f"{n} personen gelezen")
    )
    persons_table = persons.table()

    trained = False
    if model is None or retrain:
        everything = _records_table(
            PartnerRecord.objects.filter(source=source).values("pk", *_RECORD_FIELDS)
        )
        say(f"model trainen op {everything.num_rows} records en {persons_table.num_rows} personen")
        fitted = engine.train(everything, persons_table)
        model, _created = LinkageModel.objects.get_or_create(
            version=fitted.version,
            defaults={
                "source": source,
                "settings": fitted.settings,
                "trained_on": fitted.trained_on,
                "trained_by": SYSTEM_ACTOR,
                "upper_threshold": upper,
                "lower_threshold": lower,
            },
        )
        trained = True

    say(f"{pending.num_rows} records vergelijken")
    fitted_model = engine.TrainedModel(
        settings=model.settings, version=model.version, trained_on=model.trained_on
    )
    refs = summary.subject_refs
    # A pair a reviewer refused (or undid) is never proposed again: the next-best
    # candidate of that record competes instead.
    refused = set(
        Link.objects.filter(
            record__in=unlinked_records(source.pk),
            status__in=[LinkStatus.REJECTED, LinkStatus.UNDONE],
        ).values_list("record_id", "party__identifiers__value")
    )
    candidates = (
        candidate
        for candidate in engine.predict(
            fitted_model, pending, persons_table, threshold_probability=lower
        )
        if (int(candidate.partner_id), refs[candidate.person_id].value) not in refused
    )
    chosen = engine.best_candidates(candidates, settings.LINKAGE_AMBIGUITY_MARGIN)

    with transaction.atomic():
        parties = _parties_for({refs[choice.candidate.person_id].value for choice in chosen})
        links = [
            Link(
                record_id=int(choice.candidate.partner_id),
                party_id=parties[refs[choice.candidate.person_id].value],
                method=LinkMethod.PROBABILISTIC,
                model=model,
                match_weight=choice.candidate.match_weight,
                match_probability=choice.candidate.match_probability,
                levels=_levels(choice.candidate),
                ambiguous=choice.ambiguous,
                status=(
                    LinkStatus.AUTOMATIC
                    if choice.candidate.match_probability >= upper and not choice.ambiguous
                    else LinkStatus.REVIEW
                ),
            )
            for choice in chosen
        ]
        Link.objects.bulk_create(links, batch_size=5_000)
    automatic = sum(1 for link in links if link.status == LinkStatus.AUTOMATIC)
    return LinkageRun(
        source=source.code,
        model_version=model.version,
        trained=trained,
        records=pending.num_rows,
        persons=persons_table.num_rows,
        by_bsn=by_bsn,
        automatic=automatic,
        review=len(links) - automatic,
        unlinked=pending.num_rows - len(links),
        seconds=time.monotonic() - started,
    )


def decide(ctx: AccessContext, link: Link, decision: str, note: str = "") -> ChangeResult:
    """Accept or reject a link under review, or undo one in force, through the gate.

    Rejecting and undoing need a reason: the next reviewer, and the person, must be able
    to see why a record is not (or no longer) theirs.
    """
    if decision not in (ACCEPT, REJECT, UNDO):
        raise ValidationError({"besluit": f"Onbekend besluit {decision!r}."})
    if decision in (REJECT, UNDO) and not note.strip():
        raise ValidationError(
            {"toelichting": "Geef een toelichting bij afwijzen of ongedaan maken."}
        )
    element = "linkage.links" if decision == UNDO else "linkage.candidates"
    return gate.change(
        ctx,
        link.party,
        element,
        {"koppeling": link.pk, "besluit": decision, "toelichting": note.strip(), "door": ctx.actor},
    )
