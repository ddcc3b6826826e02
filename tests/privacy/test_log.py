import datetime as dt
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from klantocratie.privacy import log
from klantocratie.privacy.models import LogChainHead, ProcessingLogRecord
from tests.support.tamper import append_only_lifted, execute

TABLE = ProcessingLogRecord._meta.db_table


def _entry(n: int) -> log.LogEntry:
    start = timezone.now()
    return log.LogEntry(
        trace_id=f"{n:032x}",
        span_id=f"{n:016x}",
        parent_span_id="",
        operation="read",
        processing_activity_id="kcc@1",
        data_subject_id=log.pseudonymise("bsn", f"{n:09d}"),
        data_subject_type="bsn",
        start_time=start,
        end_time=start + dt.timedelta(milliseconds=3),
        status="OK",
    )


@pytest.fixture
def chain(db: None) -> list[ProcessingLogRecord]:
    log.append([_entry(n) for n in range(1, 4)])
    return log.append([_entry(n) for n in range(4, 8)])


def _problems() -> list[str]:
    return log.verify().problems


def test_intact_chain_verifies(chain: list[ProcessingLogRecord]) -> None:
    result = log.verify()
    assert result.intact
    assert result.checked == 7
    head = LogChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (7, chain[-1].record_hash)


def test_records_link_to_their_predecessor(chain: list[ProcessingLogRecord]) -> None:
    records = list(ProcessingLogRecord.objects.order_by("sequence"))
    assert records[0].previous_hash == log.GENESIS_HASH
    for earlier, later in pairwise(records):
        assert later.previous_hash == earlier.record_hash


def test_changed_record_is_named(chain: list[ProcessingLogRecord]) -> None:
    with append_only_lifted():
        execute(
            f"UPDATE {TABLE} SET processing_activity_id = %s WHERE sequence = 3", ["marketing@1"]
        )
    assert _problems() == ["record 3 changed (its hash does not match its content)"]


def test_changed_record_with_recomputed_hash_breaks_the_next_link(
    chain: list[ProcessingLogRecord],
) -> None:
    record = ProcessingLogRecord.objects.get(sequence=3)
    record.status = "ERROR"
    forged = log.compute_hash([getattr(record, f) for f in log._HASHED_FIELDS])
    with append_only_lifted():
        execute(
            f"UPDATE {TABLE} SET status = 'ERROR', record_hash = %s WHERE sequence = 3", [forged]
        )
    assert _problems() == [
        "record 4 does not link to record 3: record 3 was changed and re-hashed, "
        "or record 4 was inserted or replaced"
    ]


def test_removed_record_is_named(chain: list[ProcessingLogRecord]) -> None:
    with append_only_lifted():
        execute(f"DELETE FROM {TABLE} WHERE sequence = 5")
    assert _problems() == ["record 5 removed (sequence jumps to 6)"]


def test_removed_tail_is_named(chain: list[ProcessingLogRecord]) -> None:
    with append_only_lifted():
        execute(f"DELETE FROM {TABLE} WHERE sequence >= 6")
    assert _problems() == ["records 6-7 removed from the end of the log"]


def test_inserted_record_is_named(chain: list[ProcessingLogRecord]) -> None:
    fake = ProcessingLogRecord.objects.get(sequence=7)
    execute(
        f"INSERT INTO {TABLE} (sequence, trace_id, span_id, parent_span_id, operation, processing_activity_id,"
        " data_subject_id, data_subject_type, start_time, end_time, status, previous_hash, record_hash)"
        " VALUES (8, %s, %s, '', 'read', 'kcc@1', %s, 'bsn', %s, %s, 'OK', %s, %s)",
        [
            fake.trace_id,
            fake.span_id,
            fake.data_subject_id,
            fake.start_time,
            fake.end_time,
            "f" * 64,
            "e" * 64,
        ],
    )
    problems = _problems()
    assert "record 8 changed (its hash does not match its content)" in problems
    assert "record 8 inserted after the chain head" in problems


def test_record_inserted_before_the_start_is_named(chain: list[ProcessingLogRecord]) -> None:
    first = ProcessingLogRecord.objects.get(sequence=1)
    values = [getattr(first, f) for f in log._HASHED_FIELDS]
    values[0] = 0
    execute(
        f"INSERT INTO {TABLE} (sequence, trace_id, span_id, parent_span_id, operation, processing_activity_id,"
        " data_subject_id, data_subject_type, start_time, end_time, status, previous_hash, record_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [*values, log.compute_hash(values)],
    )
    assert _problems() == ["record 0 inserted before the start of the chain"]


def test_replaced_record_is_named(chain: list[ProcessingLogRecord]) -> None:
    with append_only_lifted():
        execute(
            f"UPDATE {TABLE} SET previous_hash = %s, record_hash = %s WHERE sequence = 2",
            ["a" * 64, "b" * 64],
        )
    problems = _problems()
    assert "record 2 changed (its hash does not match its content)" in problems
    assert (
        "record 3 does not link to record 2: record 2 was changed and re-hashed, "
        "or record 3 was inserted or replaced"
    ) in problems


def test_model_refuses_update_and_delete(chain: list[ProcessingLogRecord]) -> None:
    record = ProcessingLogRecord.objects.get(sequence=1)
    record.status = "ERROR"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()


def test_database_refuses_update(chain: list[ProcessingLogRecord]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        execute(f"UPDATE {TABLE} SET status = 'ERROR' WHERE sequence = 1")
    assert log.verify().intact


def test_external_anchor_catches_a_rewritten_tail(chain: list[ProcessingLogRecord]) -> None:
    anchor = (7, chain[-1].record_hash)
    assert log.verify(expected_head=anchor).intact
    assert log.verify(expected_head=(7, "0" * 64)).problems == [
        "record 7 differs from the external anchor"
    ]


def test_verify_log_command(
    chain: list[ProcessingLogRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("verify_log")
    assert "Log intact: 7 records verified." in capsys.readouterr().out
    with append_only_lifted():
        execute(f"DELETE FROM {TABLE} WHERE sequence = 2")
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_log")
    assert "record 2 removed" in capsys.readouterr().out


def test_verify_log_rejects_a_malformed_anchor(chain: list[ProcessingLogRecord]) -> None:
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("verify_log", anchor="seven:abc")


def test_empty_log_is_intact(db: None) -> None:
    assert log.verify().intact
