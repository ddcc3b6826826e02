"""The gate's bulk extraction for analysis: purpose-bound, logged, or nothing at all."""

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import DatabaseError

from klantocratie.analytics.models import Snapshot
from klantocratie.analytics.snapshot import analytics_context, build_snapshot
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import AccessDenied, LogWriteFailed
from klantocratie.privacy.models import AuditEntry, AuditOutcome

pytestmark = pytest.mark.django_db


def test_an_element_outside_the_activitys_grant_is_refused_and_audited(demo: Party) -> None:
    rows: list[object] = []
    with pytest.raises(AccessDenied) as caught:
        gate.extract(
            analytics_context("vroegsignalering", "gemeente-almelo"),
            ["arrears.reports", "police.reports"],
            rows.extend,
        )
    assert "police.reports" in caught.value.message
    assert rows == []
    entry = AuditEntry.objects.latest("at")
    assert entry.outcome == AuditOutcome.DENIED and entry.operation == "extract"


def test_a_person_may_not_extract_under_the_analytic_grants(demo: Party) -> None:
    ctx = gate.AccessContext(
        actor="demo-beleid",
        role="policy_analyst",
        organisation="gemeente-almelo",
        activity="beleidsanalyse",
    )
    with pytest.raises(AccessDenied):
        gate.extract(ctx, ["person.address"], lambda rows: None)


def test_when_the_log_cannot_be_written_no_snapshot_is_left_behind(demo: Party) -> None:
    with (
        mock.patch("klantocratie.privacy.log.append", side_effect=DatabaseError("disk full")),
        pytest.raises(LogWriteFailed),
    ):
        build_snapshot("beleidsanalyse", ["person.address"], "test")
    assert not Snapshot.objects.exists()
    assert list(Path(settings.ANALYTICS_DIR).glob("*")) == []


def test_a_snapshot_records_what_was_extracted_and_its_hash(demo: Party) -> None:
    snapshot = build_snapshot("beleidsanalyse", ["person.address", "contact.history"], "test")
    assert snapshot.activity_id == "beleidsanalyse@1"
    assert snapshot.elements == ["contact.history", "person.address"]
    assert snapshot.subjects > 50 and snapshot.facts >= snapshot.subjects
    assert len(snapshot.sha256) == 64
    assert Path(snapshot.path).is_file()
