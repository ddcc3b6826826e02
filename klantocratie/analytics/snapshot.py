"""Build analytic snapshots through the privacy gate.

A snapshot is the one way signal rules and area trends see personal data: the gate's
`extract` hands over the facts of the elements one activity is granted, pseudonymised
and without the people who opted out, and logs every data subject. The facts go to a
Parquet file (DuckDB and Spark read the same file) or, for the handful of parties one
new event touches, to an in-memory Arrow table.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.connectors.base import PartyRef
from klantocratie.parties.models import Party
from klantocratie.privacy import gate

from .models import Snapshot
from .vocabulary import FACT_SCHEMA

# The analytic environment extracts on behalf of the controller of the activity.
SYSTEM_ACTOR = "analyseomgeving"


def analytics_context(activity: str, organisation: str) -> gate.AccessContext:
    return gate.AccessContext(
        actor=SYSTEM_ACTOR, role=Role.ANALYTICS, organisation=organisation, activity=activity
    )


def _batch(rows: list[gate.FactRow]) -> pa.RecordBatch:
    columns: list[tuple[Any, ...]] = (
        list(zip(*rows, strict=True)) if rows else [() for _ in FACT_SCHEMA]
    )
    return pa.RecordBatch.from_arrays(
        [pa.array(column, type=f.type) for column, f in zip(columns, FACT_SCHEMA, strict=True)],
        schema=FACT_SCHEMA,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_snapshot(
    activity: str,
    elements: Sequence[str],
    requested_by: str,
    *,
    organisation: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Snapshot:
    """Extract every party's facts of `elements` under `activity` into a Parquet file."""
    snapshot, _subjects = extract_snapshot(
        activity, elements, requested_by, organisation=organisation, progress=progress
    )
    return snapshot


def extract_snapshot(
    activity: str,
    elements: Sequence[str],
    requested_by: str,
    *,
    organisation: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Snapshot, dict[str, PartyRef]]:
    """`build_snapshot`, also returning whom each pseudonym stands for.

    That mapping stays in memory, for whoever must act on a result (a signal goes to
    a person); the file never holds it. The file is written under a temporary name
    and only renamed into place when the gate has logged every data subject, so a
    failed extraction leaves nothing behind.
    """
    resolved = gate.resolve_activity(activity)
    ctx = analytics_context(activity, organisation or resolved.controller.code)
    directory = Path(settings.ANALYTICS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{resolved.code}-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:8]}.parquet"
    final, partial = directory / name, directory / f".{name}.partial"
    writer = pq.ParquetWriter(partial, FACT_SCHEMA)
    try:
        summary = gate.extract(
            ctx,
            elements,
            lambda rows: writer.write_batch(_batch(rows)),
            operation="snapshot",
            on_progress=progress,
        )
        writer.close()
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    partial.rename(final)
    snapshot = Snapshot.objects.create(
        activity_id=summary.activity.identifier,
        elements=sorted(set(elements)),
        reference_date=timezone.localdate(),
        requested_by=requested_by,
        path=str(final),
        sha256=_sha256(final),
        subjects=summary.subjects,
        facts=summary.facts,
        excluded=summary.excluded,
        trace_id=summary.trace_id,
    )
    return snapshot, summary.subject_refs


def extract_parties(
    activity: str, elements: Sequence[str], parties: Sequence[Party], *, organisation: str
) -> tuple[pa.Table, gate.ExtractSummary]:
    """The facts of a few parties, in memory: what one new event re-evaluates."""
    batches: list[pa.RecordBatch] = []
    summary = gate.extract(
        analytics_context(activity, organisation),
        elements,
        lambda rows: batches.append(_batch(rows)),
        parties=parties,
        operation="snapshot-incremental",
    )
    table = pa.Table.from_batches(batches, schema=FACT_SCHEMA)
    return table, summary
