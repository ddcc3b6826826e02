import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone

from klantocratie.connectors.base import Concerning, PartyRef
from klantocratie.connectors.models import ChangeStatus, SourceChange
from klantocratie.connectors.services import deliver_pending
from klantocratie.events.models import Event
from klantocratie.privacy import gate, log
from klantocratie.privacy.errors import (
    AccessDenied,
    ActivityNotValid,
    ChoiceDenies,
    LogWriteFailed,
    UnknownActivity,
    UnknownElement,
)
from klantocratie.privacy.models import (
    AuditEntry,
    AuditOutcome,
    ChoiceKind,
    ChoiceRule,
    ChoiceStatus,
    GdprBasis,
    PrivacyChoice,
    ProcessingLogRecord,
    SubjectScope,
)
from tests.conftest import BSN_ANNA, BSN_BERT, World
from tests.support.memory_connector import MemoryConnector


def _choose(
    world: World,
    purpose: str,
    kind: str,
    status: str,
    *,
    days_ago: int = 1,
    expires_in: int | None = None,
) -> None:
    now = timezone.now()
    PrivacyChoice.objects.create(
        party=world.anna,
        purpose=purpose,
        kind=kind,
        status=status,
        decided_at=now - dt.timedelta(days=days_ago),
        expires_at=None if expires_in is None else now + dt.timedelta(days=expires_in),
        collected_via="portal",
    )


class TestGrants:
    def test_returns_only_granted_elements_with_provenance(self, world: World) -> None:
        result = gate.read(world.ctx(), world.anna)
        assert set(result.values) == {
            "person.name",
            "person.address",
            "tenancy.contract",
            "person.email",
        }
        name = result.values["person.name"]
        assert name.value == "Anna de Boer"
        assert name.source_code == "brp"
        assert name.organisation_name == "Gemeente Test"
        assert name.grant_id == world.grant.pk
        assert name.activity_id == "kcc@1"
        assert "tenancy.complaints" not in result.values

    def test_sources_are_asked_for_permitted_elements_only(self, world: World) -> None:
        gate.read(world.ctx(), world.anna)
        asked = {element for _source, elements in MemoryConnector.calls for element in elements}
        assert "tenancy.complaints" not in asked

    def test_other_role_without_grant_is_denied_and_audited(self, world: World) -> None:
        with pytest.raises(AccessDenied, match="Geen autorisatie"):
            gate.read(world.ctx(role="case_worker"), world.anna)
        assert not MemoryConnector.calls
        assert ProcessingLogRecord.objects.count() == 0
        entry = AuditEntry.objects.get()
        assert entry.outcome == AuditOutcome.DENIED
        assert entry.role == "case_worker"

    def test_other_organisation_is_denied(self, world: World) -> None:
        with pytest.raises(AccessDenied):
            gate.read(world.ctx(organisation=world.housing.code), world.anna)

    def test_expired_grant_names_its_end_date(self, world: World) -> None:
        world.activity.grants.update(valid_to=dt.date(2021, 3, 31))
        with pytest.raises(AccessDenied, match="verlopen op 31-03-2021") as caught:
            gate.read(world.ctx(), world.anna)
        assert caught.value.field == "grant"

    def test_grant_not_yet_valid_is_denied(self, world: World) -> None:
        world.activity.grants.update(valid_from=timezone.localdate() + dt.timedelta(days=1))
        with pytest.raises(AccessDenied):
            gate.read(world.ctx(), world.anna)

    def test_requesting_an_ungranted_element_is_denied(self, world: World) -> None:
        with pytest.raises(AccessDenied, match=r"tenancy\.complaints"):
            gate.read(world.ctx(), world.anna, ["tenancy.complaints"])

    def test_partly_granted_request_returns_granted_part(self, world: World) -> None:
        result = gate.read(world.ctx(), world.anna, ["person.name", "tenancy.complaints"])
        assert set(result.values) == {"person.name"}
        assert AuditEntry.objects.get().outcome == AuditOutcome.PARTIAL

    def test_unknown_element_is_named(self, world: World) -> None:
        with pytest.raises(UnknownElement, match=r"person\.shoe_size") as caught:
            gate.read(world.ctx(), world.anna, ["person.shoe_size"])
        assert caught.value.field == "elements"

    def test_self_scoped_grant_reaches_only_own_party(self, world: World) -> None:
        own = world.activity_version("inzage")
        world.grant_for(own, ["person.name"], role="resident", subject_scope=SubjectScope.SELF)
        ctx = world.ctx(role="resident", activity="inzage", actor_party_id=world.anna.pk)
        assert gate.read(ctx, world.anna).values["person.name"].value == "Anna de Boer"
        with pytest.raises(AccessDenied):
            gate.read(ctx, world.bert)


class TestActivities:
    def test_unknown_activity(self, world: World) -> None:
        with pytest.raises(UnknownActivity, match="'marketing'") as caught:
            gate.read(world.ctx(activity="marketing"), world.anna)
        assert caught.value.field == "activity"

    def test_expired_activity(self, world: World) -> None:
        world.activity.valid_to = dt.date(2022, 12, 31)
        world.activity.save()
        with pytest.raises(ActivityNotValid, match="niet meer geldig"):
            gate.read(world.ctx(), world.anna)

    def test_future_activity(self, world: World) -> None:
        world.activity.valid_from = timezone.localdate() + dt.timedelta(days=10)
        world.activity.save()
        with pytest.raises(ActivityNotValid, match="geldt pas vanaf"):
            gate.read(world.ctx(), world.anna)

    def test_the_version_valid_today_is_used(self, world: World) -> None:
        world.activity.valid_to = dt.date(2023, 12, 31)
        world.activity.save()
        v2 = world.activity_version("kcc", version=2, valid_from=dt.date(2024, 1, 1))
        world.grant_for(v2, ["person.name"])
        result = gate.read(world.ctx(), world.anna)
        assert set(result.values) == {"person.name"}
        assert ProcessingLogRecord.objects.get().processing_activity_id == "kcc@2"


class TestPersonalChoices:
    @pytest.fixture
    def extras(self, world: World) -> World:
        activity = world.activity_version(
            "extra",
            gdpr_basis=GdprBasis.CONSENT,
            choice_rule=ChoiceRule.OPT_IN,
            choice_purpose="extra-hulp",
        )
        world.grant_for(activity, ["tenancy.complaints"])
        return world

    @pytest.fixture
    def outreach(self, world: World) -> World:
        activity = world.activity_version(
            "outreach", choice_rule=ChoiceRule.OPT_OUT, choice_purpose="proactief"
        )
        world.grant_for(activity, ["person.name"])
        return world

    def test_opt_in_activity_needs_consent(self, extras: World) -> None:
        with pytest.raises(ChoiceDenies, match="toestemming"):
            extras_read(extras)

    def test_opt_in_given_allows(self, extras: World) -> None:
        _choose(extras, "extra-hulp", ChoiceKind.OPT_IN, ChoiceStatus.GIVEN)
        assert "tenancy.complaints" in extras_read(extras).values

    def test_withdrawn_opt_in_denies_again(self, extras: World) -> None:
        _choose(extras, "extra-hulp", ChoiceKind.OPT_IN, ChoiceStatus.GIVEN, days_ago=5)
        _choose(extras, "extra-hulp", ChoiceKind.OPT_IN, ChoiceStatus.WITHDRAWN, days_ago=1)
        with pytest.raises(ChoiceDenies):
            extras_read(extras)

    def test_expired_opt_in_denies(self, extras: World) -> None:
        _choose(
            extras,
            "extra-hulp",
            ChoiceKind.OPT_IN,
            ChoiceStatus.GIVEN,
            days_ago=400,
            expires_in=-35,
        )
        with pytest.raises(ChoiceDenies):
            extras_read(extras)

    def test_opt_out_blocks_outreach(self, outreach: World) -> None:
        assert gate.read(outreach.ctx(activity="outreach"), outreach.anna).values
        _choose(outreach, "proactief", ChoiceKind.OPT_OUT, ChoiceStatus.GIVEN)
        with pytest.raises(ChoiceDenies, match="bezwaar"):
            gate.read(outreach.ctx(activity="outreach"), outreach.anna)
        # Bert did not object, and compulsory tasks ignore choices altogether.
        assert gate.read(outreach.ctx(activity="outreach"), outreach.bert).values
        assert gate.read(outreach.ctx(), outreach.anna).values

    def test_choice_of_one_person_does_not_touch_another(self, extras: World) -> None:
        _choose(extras, "extra-hulp", ChoiceKind.OPT_IN, ChoiceStatus.GIVEN)
        with pytest.raises(ChoiceDenies):
            gate.read(extras.ctx(activity="extra"), extras.bert)


def extras_read(world: World) -> gate.ReadResult:
    return gate.read(world.ctx(activity="extra"), world.anna)


class TestProcessingLog:
    def test_one_record_per_data_subject_per_read(self, world: World) -> None:
        reads = [world.anna, world.bert, world.anna, world.anna, world.bert]
        for party in reads:
            gate.read(world.ctx(), party)
        assert ProcessingLogRecord.objects.count() == len(reads)
        anna_id = log.pseudonymise("bsn", BSN_ANNA)
        assert ProcessingLogRecord.objects.filter(data_subject_id=anna_id).count() == 3
        assert AuditEntry.objects.filter(outcome=AuditOutcome.ALLOWED).count() == len(reads)

    def test_value_about_other_persons_logs_each_of_them(self, world: World) -> None:
        household = {"aantal_personen": 2, "leden": [{"relatie": "partner"}]}
        MemoryConnector.records["brp"][("bsn", BSN_ANNA)]["person.address"] = Concerning(
            household, (PartyRef("bsn", BSN_BERT), PartyRef("bsn", BSN_ANNA))
        )
        result = gate.read(world.ctx(), world.anna)
        assert result.values["person.address"].value == household
        subjects = ProcessingLogRecord.objects.filter(trace_id=result.trace_id)
        assert sorted(subjects.values_list("data_subject_id", flat=True)) == sorted(
            [log.pseudonymise("bsn", BSN_ANNA), log.pseudonymise("bsn", BSN_BERT)]
        )

    def test_record_has_logboek_fields_and_no_identity(self, world: World) -> None:
        result = gate.read(world.ctx(), world.anna)
        record = ProcessingLogRecord.objects.get()
        assert record.trace_id == result.trace_id and len(record.trace_id) == 32
        assert record.span_id == result.span_id and len(record.span_id) == 16
        assert record.processing_activity_id == "kcc@1"
        assert record.data_subject_type == "bsn"
        assert record.data_subject_id == log.pseudonymise("bsn", BSN_ANNA)
        assert BSN_ANNA not in record.data_subject_id
        assert record.start_time <= record.end_time
        assert record.status == "OK"
        # The actor is in the audit trail, linked by span, not in the log.
        audit = AuditEntry.objects.get(span_id=record.span_id)
        assert audit.actor == "kim"

    def test_failed_log_write_fails_the_read(self, world: World) -> None:
        with (
            mock.patch.object(log, "append", side_effect=DatabaseError("disk full")),
            pytest.raises(LogWriteFailed),
        ):
            gate.read(world.ctx(), world.anna)
        assert ProcessingLogRecord.objects.count() == 0
        assert not AuditEntry.objects.filter(outcome=AuditOutcome.ALLOWED).exists()

    def test_failed_audit_write_also_fails_the_read_and_rolls_back_the_log(
        self, world: World
    ) -> None:
        with (
            mock.patch.object(AuditEntry.objects, "create", side_effect=DatabaseError("locked")),
            pytest.raises(LogWriteFailed),
        ):
            gate.read(world.ctx(), world.anna)
        assert ProcessingLogRecord.objects.count() == 0


class TestDegradedSources:
    def test_unavailable_source_degrades_instead_of_failing(self, world: World) -> None:
        MemoryConnector.down.add("huur")
        result = gate.read(world.ctx(), world.anna)
        assert result.values["person.name"].value == "Anna de Boer"
        assert "tenancy.contract" not in result.values
        assert result.missing == {"tenancy.contract": "Bron niet beschikbaar"}
        status = {s.code: s for s in result.sources}
        assert status["huur"].available is False
        assert status["brp"].available is True
        assert ProcessingLogRecord.objects.count() == 1

    def test_crashing_connector_degrades_too(self, world: World) -> None:
        with mock.patch.object(MemoryConnector, "read", side_effect=RuntimeError("bug")):
            result = gate.read(world.ctx(), world.anna)
        assert not result.values
        assert all(not s.available for s in result.sources)
        assert ProcessingLogRecord.objects.get().status == "ERROR"

    def test_inactive_source_is_unavailable(self, world: World) -> None:
        world.tenancy.active = False
        world.tenancy.save()
        result = gate.read(world.ctx(), world.anna)
        assert "tenancy.contract" in result.missing


class TestChanges:
    def test_change_is_delivered_logged_and_announced(self, world: World) -> None:
        result = gate.change(world.ctx(), world.anna, "person.email", "nieuw@example.nl")
        assert result.status == ChangeStatus.DELIVERED
        assert (
            MemoryConnector.records["brp"][("bsn", BSN_ANNA)]["person.email"] == "nieuw@example.nl"
        )
        record = ProcessingLogRecord.objects.get()
        assert record.operation == "change"
        event = Event.objects.get()
        assert event.type == "nl.klantocratie.element.changed"
        assert event.data["element"] == "person.email"
        assert event.as_cloudevent()["specversion"] == "1.0"

    def test_failed_change_waits_in_outbox_and_is_retried(self, world: World) -> None:
        MemoryConnector.down.add("brp")
        result = gate.change(world.ctx(), world.anna, "person.email", "later@example.nl")
        assert result.status == ChangeStatus.PENDING
        change = SourceChange.objects.get()
        assert change.attempts == 1 and change.next_attempt_at > timezone.now()
        # Still down on the next round: stays queued, backs off further.
        later = change.next_attempt_at
        deliver_pending(now=later)
        change.refresh_from_db()
        assert change.status == ChangeStatus.PENDING and change.attempts == 2
        assert change.next_attempt_at > later
        # The source recovers: the retry delivers.
        MemoryConnector.down.clear()
        counts = deliver_pending(now=change.next_attempt_at)
        change.refresh_from_db()
        assert counts["delivered"] == 1
        assert change.status == ChangeStatus.DELIVERED
        assert (
            MemoryConnector.records["brp"][("bsn", BSN_ANNA)]["person.email"] == "later@example.nl"
        )

    def test_changes_to_one_element_land_in_the_order_they_were_made(self, world: World) -> None:
        MemoryConnector.down.add("brp")
        gate.change(world.ctx(), world.anna, "person.email", "old@example.nl")
        MemoryConnector.down.clear()
        newer = gate.change(world.ctx(), world.anna, "person.email", "new@example.nl")
        assert newer.status == ChangeStatus.DELIVERED
        delivered = SourceChange.objects.order_by("delivered_at", "pk")
        assert [c.value for c in delivered] == ["old@example.nl", "new@example.nl"]
        assert deliver_pending(now=timezone.now() + dt.timedelta(days=1))["delivered"] == 0
        record = MemoryConnector.records["brp"][("bsn", BSN_ANNA)]
        assert record["person.email"] == "new@example.nl"

    def test_newer_change_waits_behind_an_older_one_that_cannot_land(self, world: World) -> None:
        MemoryConnector.down.add("brp")
        gate.change(world.ctx(), world.anna, "person.email", "old@example.nl")
        newer = gate.change(world.ctx(), world.anna, "person.email", "new@example.nl")
        assert newer.status == ChangeStatus.PENDING
        MemoryConnector.down.clear()
        counts = deliver_pending(now=timezone.now() + dt.timedelta(days=1))
        assert counts["delivered"] == 2
        record = MemoryConnector.records["brp"][("bsn", BSN_ANNA)]
        assert record["person.email"] == "new@example.nl"

    def test_not_yet_due_changes_wait(self, world: World) -> None:
        MemoryConnector.down.add("brp")
        gate.change(world.ctx(), world.anna, "person.email", "x@example.nl")
        MemoryConnector.down.clear()
        assert deliver_pending(now=timezone.now())["delivered"] == 0

    def test_rejected_value_is_not_retried(self, world: World) -> None:
        result = gate.change(world.ctx(), world.anna, "person.email", "invalid")
        assert result.status == ChangeStatus.REJECTED
        assert "Ongeldige waarde" in result.message
        assert deliver_pending(now=timezone.now() + dt.timedelta(days=1))["rejected"] == 0

    def test_change_needs_a_change_grant(self, world: World) -> None:
        with pytest.raises(AccessDenied, match=r"person\.name"):
            gate.change(world.ctx(), world.anna, "person.name", "Iemand Anders")
        assert not SourceChange.objects.exists()

    def test_failed_log_write_queues_no_change(self, world: World) -> None:
        with (
            mock.patch.object(log, "append", side_effect=DatabaseError("disk full")),
            pytest.raises(LogWriteFailed),
        ):
            gate.change(world.ctx(), world.anna, "person.email", "x@example.nl")
        assert not SourceChange.objects.exists()
        assert "person.email" in MemoryConnector.records["brp"][("bsn", BSN_ANNA)]
        assert (
            MemoryConnector.records["brp"][("bsn", BSN_ANNA)]["person.email"] == "anna@example.nl"
        )


def test_celery_task_retries_due_changes(world: World) -> None:
    from klantocratie.connectors.tasks import deliver_pending_changes

    MemoryConnector.down.add("brp")
    gate.change(world.ctx(), world.anna, "person.email", "taak@example.nl")
    MemoryConnector.down.clear()
    SourceChange.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    # Eager in the embedded default: .delay() runs the task in-process.
    assert deliver_pending_changes.delay().get()["delivered"] == 1
    assert SourceChange.objects.get().status == ChangeStatus.DELIVERED
