"""The processing log: append hash-chained records, and verify the chain.

Each record's hash covers its own fields and the previous record's hash. Changing a
record breaks its own hash; removing one leaves a gap in the sequence; inserting one
breaks the link to its neighbour or runs past the chain head.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import LogChainHead, ProcessingLogRecord

GENESIS_HASH = "0" * 64


def pseudonymise(identifier_type: str, value: str) -> str:
    """Keyed one-way pseudonym of a data subject: the log never stores a BSN.

    The subject (or a privacy officer who knows the identifier) can recompute it to find
    the records; without the key nobody can reverse it.
    """
    message = f"{identifier_type}:{value}".encode()
    return hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class LogEntry:
    """What the gate knows about one processing of one data subject."""

    trace_id: str
    span_id: str
    parent_span_id: str
    operation: str
    processing_activity_id: str
    data_subject_id: str
    data_subject_type: str
    start_time: datetime
    end_time: datetime
    status: str


_HASHED_FIELDS = (
    "sequence",
    "trace_id",
    "span_id",
    "parent_span_id",
    "operation",
    "processing_activity_id",
    "data_subject_id",
    "data_subject_type",
    "start_time",
    "end_time",
    "status",
    "previous_hash",
)


def _canonical(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def compute_hash(values: Sequence[object]) -> str:
    """Hash of one record given its values in _HASHED_FIELDS order."""
    payload = "\x1f".join(_canonical(v) for v in values)
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock_head() -> LogChainHead:
    # The head exists after the first append ever: lock it with one query, and only
    # create it (in a savepoint, racing other first writers) when it is missing.
    head = LogChainHead.objects.select_for_update().filter(singleton=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            head, _ = LogChainHead.objects.select_for_update().get_or_create(
                singleton=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
            )
    except IntegrityError:
        # Another writer created the head first; now it exists, lock it.
        head = LogChainHead.objects.select_for_update().get(singleton=1)
    return head


def append(entries: Iterable[LogEntry]) -> list[ProcessingLogRecord]:
    """Append entries to the chain in one transaction; all are written or none."""
    with transaction.atomic():
        head = _lock_head()
        sequence, previous = head.last_sequence, head.last_hash
        records = []
        for entry in entries:
            sequence += 1
            record = ProcessingLogRecord(
                sequence=sequence,
                trace_id=entry.trace_id,
                span_id=entry.span_id,
                parent_span_id=entry.parent_span_id,
                operation=entry.operation,
                processing_activity_id=entry.processing_activity_id,
                data_subject_id=entry.data_subject_id,
                data_subject_type=entry.data_subject_type,
                start_time=entry.start_time.astimezone(UTC),
                end_time=entry.end_time.astimezone(UTC),
                status=entry.status,
                previous_hash=previous,
            )
            record.record_hash = compute_hash([getattr(record, f) for f in _HASHED_FIELDS])
            previous = record.record_hash
            records.append(record)
        if not records:
            return []
        ProcessingLogRecord.objects.bulk_create(records)
        LogChainHead.objects.filter(singleton=1).update(last_sequence=sequence, last_hash=previous)
    return records


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _stored_records(chunk_size: int) -> Iterator[tuple[object, ...]]:
    return (
        ProcessingLogRecord.objects.order_by("sequence")
        .values_list(*_HASHED_FIELDS, "record_hash")
        .iterator(chunk_size=chunk_size)
    )


def _span(first: int, last: int) -> str:
    return f"record {first}" if first == last else f"records {first}-{last}"


def verify(
    chunk_size: int = 20_000,
    expected_head: tuple[int, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Verification:
    """Walk the whole chain and describe every break in words an auditor can act on.

    ``expected_head`` is an externally kept (sequence, hash) anchor: it catches a
    rewrite of the whole tail including the head row.
    """
    result = Verification()
    expected_sequence, previous_hash = 1, GENESIS_HASH
    anchor_seen = expected_head is None
    for row in _stored_records(chunk_size):
        sequence = int(row[0])  # type: ignore[call-overload]
        stored_previous, stored_hash = row[-2], row[-1]
        result.checked += 1
        if on_progress and result.checked % chunk_size == 0:
            on_progress(result.checked)
        if sequence < expected_sequence:
            # The chain starts at 1 and only grows, so a lower number was put in by hand;
            # leave it out of the chain so the records after it are judged on their own.
            result.problems.append(f"record {sequence} inserted before the start of the chain")
            continue
        gap = sequence > expected_sequence
        if gap:
            missing = _span(expected_sequence, sequence - 1)
            result.problems.append(f"{missing} removed (sequence jumps to {sequence})")
        if compute_hash(row[:-1]) != stored_hash:
            result.problems.append(
                f"record {sequence} changed (its hash does not match its content)"
            )
        elif stored_previous != previous_hash and not gap:
            # Either the predecessor was edited and re-hashed, or this one was swapped in.
            result.problems.append(
                f"record {sequence} does not link to record {sequence - 1}: record "
                f"{sequence - 1} was changed and re-hashed, or record {sequence} was inserted "
                "or replaced"
            )
        if expected_head is not None and sequence == expected_head[0]:
            anchor_seen = True
            if stored_hash != expected_head[1]:
                result.problems.append(f"record {sequence} differs from the external anchor")
        expected_sequence, previous_hash = sequence + 1, str(stored_hash)

    head = LogChainHead.objects.filter(singleton=1).first()
    last_sequence = expected_sequence - 1
    if head is not None:
        if head.last_sequence > last_sequence:
            span = _span(last_sequence + 1, head.last_sequence)
            result.problems.append(f"{span} removed from the end of the log")
        elif head.last_sequence < last_sequence:
            span = _span(head.last_sequence + 1, last_sequence)
            result.problems.append(f"{span} inserted after the chain head")
        elif head.last_hash != previous_hash:
            result.problems.append(f"record {last_sequence} does not match the chain head")
    elif last_sequence:
        result.problems.append("the chain head is missing")
    if not anchor_seen:
        result.problems.append(f"anchored record {expected_head[0]} is missing")  # type: ignore[index]
    return result
