"""gate.access: the guard for records a domain app keeps in its own tables."""

from unittest import mock

import pytest
from django.db import DatabaseError

from klantocratie.events.models import Event
from klantocratie.events.services import emit
from klantocratie.privacy import gate, log
from klantocratie.privacy.errors import AccessDenied, LogWriteFailed, UnknownElement
from klantocratie.privacy.models import AuditEntry, AuditOutcome, ProcessingLogRecord
from tests.conftest import BSN_ANNA, BSN_BERT, World


def _work(permit: gate.Permit) -> None:
    emit("test.worked", source="test", data={}, trace_id=permit.trace_id)


def test_permitted_block_runs_and_logs_one_record_per_subject(world: World) -> None:
    parties = [world.anna, world.bert, world.anna]
    with gate.access(world.ctx(), parties, ["person.name"], operation="list") as permit:
        _work(permit)
    assert Event.objects.count() == 1
    subjects = set(ProcessingLogRecord.objects.values_list("data_subject_id", flat=True))
    assert subjects == {log.pseudonymise("bsn", BSN_ANNA), log.pseudonymise("bsn", BSN_BERT)}
    assert ProcessingLogRecord.objects.count() == 2
    assert (
        ProcessingLogRecord.objects.filter(operation="list", trace_id=permit.trace_id).count() == 2
    )
    assert AuditEntry.objects.filter(outcome=AuditOutcome.ALLOWED).count() == 2
    assert permit.elements["person.name"][1] == world.grant


def test_change_needs_a_change_grant(world: World) -> None:
    with gate.access(world.ctx(), [world.anna], ["person.email"], operation="x", change=True):
        pass
    with (
        pytest.raises(AccessDenied, match=r"person\.name te wijzigen"),
        gate.access(world.ctx(), [world.anna], ["person.name"], operation="x", change=True),
    ):
        pytest.fail("the block must not run")
    denied = AuditEntry.objects.get(outcome=AuditOutcome.DENIED)
    assert denied.data_subject_id == log.pseudonymise("bsn", BSN_ANNA)
    assert ProcessingLogRecord.objects.count() == 1


def test_every_element_must_be_permitted(world: World) -> None:
    with (
        pytest.raises(AccessDenied, match=r"tenancy\.complaints"),
        gate.access(
            world.ctx(), [world.anna], ["person.name", "tenancy.complaints"], operation="x"
        ),
    ):
        pytest.fail("the block must not run")
    with (
        pytest.raises(UnknownElement),
        gate.access(world.ctx(), [world.anna], ["no.such"], operation="x"),
    ):
        pytest.fail("the block must not run")
    assert ProcessingLogRecord.objects.count() == 0


def test_failed_log_write_rolls_back_the_blocks_work(world: World) -> None:
    with (
        mock.patch.object(log, "append", side_effect=DatabaseError("disk full")),
        pytest.raises(LogWriteFailed),
        gate.access(world.ctx(), [world.anna], ["person.name"], operation="x") as permit,
    ):
        _work(permit)
    assert Event.objects.count() == 0
    assert ProcessingLogRecord.objects.count() == 0


def test_error_in_the_block_writes_no_log(world: World) -> None:
    with (
        pytest.raises(ValueError, match="bad input"),
        gate.access(world.ctx(), [world.anna], ["person.name"], operation="x") as permit,
    ):
        _work(permit)
        raise ValueError("bad input")
    assert Event.objects.count() == 0
    assert ProcessingLogRecord.objects.count() == 0
