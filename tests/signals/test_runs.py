"""Running the public rules on the demo registries: who is found, who is not, and why."""

from collections import defaultdict
from datetime import timedelta

import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from klantocratie.analytics.models import Snapshot
from klantocratie.demo.signal_cases import Planted
from klantocratie.events.models import Event
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.signals.models import OfferState, Signal, SignalRun, SignalStatus
from klantocratie.signals.selectors import rules_in_force
from klantocratie.signals.services import evaluate_party, evaluate_snapshot, run_rules
from klantocratie.sources.housing.models import Complaint, ComplaintStatus

pytestmark = pytest.mark.django_db


def _signalled() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for code, bsn in Signal.objects.values_list("rule__code", "party__identifiers__value"):
        found[code].add(bsn)
    return found


def test_every_rule_finds_its_planted_situations_and_passes_over_the_near_misses(
    planted: Planted, demo: Party
) -> None:
    run_rules(triggered_by="test")
    found = _signalled()
    for code, bsns in planted.fires.items():
        assert set(bsns) <= found[code], code
    for code, bsns in planted.misses.items():
        assert not set(bsns) & found[code], code
    # The demo resident's own story: the last child left, complaints at three
    # organisations, letters returned while on benefits, rent arrears reported.
    own = {code for code, bsns in found.items() if "900000004" in bsns}
    assert {
        "klachten-na-vertrek-kinderen",
        "uitkering-en-onbestelbare-post",
        "vroegsignalering-betalingsachterstand",
    } <= own


def test_a_signal_explains_itself_with_its_facts_and_their_sources(planted: Planted) -> None:
    run_rules(triggered_by="test")
    signal = Signal.objects.get(
        rule__code="vroegsignalering-betalingsachterstand", party__identifiers__value="900000004"
    )
    assert signal.rule.version == 1
    assert signal.facts["achterstanden"] == 1
    assert signal.facts["bedrag"] == 1485.0
    assert "€ 1.485,00" in signal.resident_explanation
    assert signal.offer_state == OfferState.OPEN
    [fact] = signal.evidence
    assert fact["organisation"] == "woonstichting-twente"
    assert fact["source"] == "vroegsignalen"
    assert fact["reference"] == "WST-HA-0042"
    assert signal.buurt_code.startswith("BU0141")
    assert signal.delete_after == signal.reference_date + timedelta(days=183)


def test_a_resident_who_objected_to_outreach_is_left_out_of_the_snapshot(
    planted: Planted,
) -> None:
    run = run_rules(triggered_by="test")
    snapshot = run.snapshots.get(activity_id="vroegsignalering@1")
    assert snapshot.excluded == 1
    [opted_out] = planted.opted_out
    party = find_party("bsn", opted_out)
    assert not Signal.objects.filter(party=party).exists()
    # The file holds pseudonyms only, never a BSN.
    table = pq.read_table(snapshot.path)
    subjects = set(table.column("subject").to_pylist())
    assert opted_out not in subjects
    assert all(len(subject) == 64 for subject in subjects)


def test_every_extracted_person_is_logged_once_per_snapshot(planted: Planted) -> None:
    before = ProcessingLogRecord.objects.count()
    run = run_rules(triggered_by="test")
    snapshots = list(run.snapshots.all())
    logged = ProcessingLogRecord.objects.filter(sequence__gt=before, operation="snapshot")
    assert logged.count() == sum(s.subjects for s in snapshots)
    for snapshot in snapshots:
        records = logged.filter(trace_id=snapshot.trace_id)
        assert records.count() == snapshot.subjects
        assert {r.processing_activity_id for r in records} == {snapshot.activity_id}


def test_the_same_rules_on_the_same_snapshot_give_the_same_signals(planted: Planted) -> None:
    run = run_rules(triggered_by="test")
    rules = list(rules_in_force())
    for snapshot in run.snapshots.all():
        group = [rule for rule in rules if rule.activity == snapshot.activity_id.split("@")[0]]
        first = evaluate_snapshot(snapshot, group)
        again = evaluate_snapshot(Snapshot.objects.get(pk=snapshot.pk), group)
        assert first == again
        assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
    stored = set(Signal.objects.values_list("rule__code", "subject", "fingerprint"))
    # A second run on fresh snapshots of unchanged registries raises nothing new.
    second = run_rules(triggered_by="test")
    assert second.created == 0
    assert second.fired == run.fired
    assert set(Signal.objects.values_list("rule__code", "subject", "fingerprint")) == stored


def test_an_event_re_evaluates_only_its_party_and_agrees_with_a_full_run(
    planted: Planted, demo: Party
) -> None:
    full = run_rules(triggered_by="test")
    by_full = {
        (s.rule.identifier, s.fingerprint, tuple(sorted(s.facts.items())))
        for s in Signal.objects.filter(party=demo)
    }
    Signal.objects.all().delete()
    run = evaluate_party(demo, triggered_by="test")
    assert run.mode == "incremental"
    assert {s.party_id for s in Signal.objects.all()} == {demo.pk}
    by_party = {
        (s.rule.identifier, s.fingerprint, tuple(sorted(s.facts.items())))
        for s in Signal.objects.filter(party=demo)
    }
    assert by_party == by_full
    assert full.fired > run.fired


def test_a_new_fact_with_an_event_raises_a_signal_for_that_party_at_once(
    signal_rules: Party,
) -> None:
    """A neighbour who already complained twice to the landlord now calls the police."""
    from klantocratie.events.dispatch import publish_pending
    from klantocratie.events.services import emit
    from klantocratie.sources.population.models import FamilyRelation, RelationKind, Residence

    # Someone whose child left home this year and who complained at the landlord twice.
    parent, child = _parent_with_child_at_home()
    home = Residence.objects.get(bsn=child, valid_to__isnull=True)
    left_on = timezone.localdate() - timedelta(days=60)
    Residence.objects.filter(pk=home.pk).update(valid_to=left_on)
    Residence.objects.create(
        bsn=child, street="Elders", house_number=1, postcode="7600AA", valid_from=left_on
    )
    assert FamilyRelation.objects.filter(bsn=parent, related_bsn=child, kind=RelationKind.CHILD)
    for days in (40, 30, 20):
        Complaint.objects.create(
            bsn=parent,
            date=timezone.localdate() - timedelta(days=days),
            category="geluidsoverlast",
            description="Overlast.",
            status=ComplaintStatus.OPEN,
        )
    party = find_party("bsn", parent)
    assert party is not None
    assert not Signal.objects.filter(party=party).exists()
    # The police report arrives with an event; the party is re-evaluated right away.
    from klantocratie.sources.police.models import Report

    Report.objects.create(
        bsn=parent,
        date=timezone.localdate() - timedelta(days=5),
        kind="burenruzie",
        description=".",
    )
    emit(
        "nl.klantocratie.element.changed",
        source="test",
        subject=str(party.uuid),
        data={"element": "police.reports"},
    )
    publish_pending()
    signal = Signal.objects.get(party=party)
    assert signal.rule.code == "klachten-na-vertrek-kinderen"
    assert signal.facts["klachten"] == 4
    assert signal.facts["organisaties"] == 2
    assert SignalRun.objects.filter(mode="incremental", created=1).exists()
    assert Event.objects.filter(type="nl.klantocratie.signaal.aangemaakt").exists()


def _parent_with_child_at_home() -> tuple[str, str]:
    from klantocratie.sources.population.models import FamilyRelation, RelationKind, Residence

    for relation in FamilyRelation.objects.filter(kind=RelationKind.CHILD).order_by("pk"):
        parent_home = Residence.objects.filter(bsn=relation.bsn, valid_to__isnull=True).first()
        child_home = Residence.objects.filter(
            bsn=relation.related_bsn, valid_to__isnull=True
        ).first()
        children = FamilyRelation.objects.filter(bsn=relation.bsn, kind=RelationKind.CHILD).count()
        if (
            parent_home
            and child_home
            and parent_home.address_key == child_home.address_key
            and children == 1
            and find_party("bsn", relation.bsn) is not None
        ):
            return relation.bsn, relation.related_bsn
    raise AssertionError("the demo has no parent with one child at home")


def test_a_closed_signal_stays_closed_and_a_new_situation_gets_a_new_signal(
    planted: Planted,
) -> None:
    run_rules(triggered_by="test")
    open_signal = Signal.objects.filter(rule__code="vroegsignalering-betalingsachterstand").first()
    assert open_signal is not None
    Signal.objects.filter(pk=open_signal.pk).update(
        status=SignalStatus.CLOSED, closed_at=timezone.now(), outcome="hulp_gestart"
    )
    again = run_rules(triggered_by="test")
    # Same facts: the situation was signalled before, closed or not.
    assert again.created == 0


def test_a_creditors_report_raises_the_early_warning_signal_at_once(
    signal_rules: Party,
) -> None:
    from django.core.exceptions import ValidationError

    from klantocratie.events.dispatch import publish_pending
    from klantocratie.sources.arrears.services import register_report

    bsn = _parent_with_child_at_home()[0]
    with pytest.raises(ValidationError) as caught:
        register_report(
            bsn="123456789",
            creditor="energie-twente",
            creditor_name="Energie Twente",
            kind="gas",
            reference="",
            amount="-5",
            overdue_since=timezone.localdate(),
        )
    assert set(caught.value.message_dict) == {"bsn", "kind", "reference", "amount"}
    register_report(
        bsn=bsn,
        creditor="energie-twente",
        creditor_name="Energie Twente",
        kind="energie",
        reference="ET-1",
        amount="250.00",
        overdue_since=timezone.localdate() - timedelta(days=40),
    )
    publish_pending()
    signal = Signal.objects.get(party__identifiers__value=bsn)
    assert signal.rule.code == "vroegsignalering-betalingsachterstand"
    assert signal.run is not None and signal.run.mode == "incremental"


def test_an_event_about_a_resident_who_objected_raises_nothing(planted: Planted) -> None:
    [opted_out] = planted.opted_out
    party = find_party("bsn", opted_out)
    assert party is not None
    run = evaluate_party(party, triggered_by="test")
    assert run.fired == 0
    assert not Signal.objects.filter(party=party).exists()
