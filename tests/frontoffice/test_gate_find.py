"""gate.find: attribute searches asked of the owning sources, logged per party found."""

import pytest
from django.db.models import Count

from klantocratie.connectors.base import SourceUnavailable
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.models import Party
from klantocratie.privacy import gate, log
from klantocratie.privacy.errors import AccessDenied, GateError
from klantocratie.privacy.models import AuditEntry, AuditOutcome, ProcessingLogRecord
from klantocratie.registry.models import Source
from klantocratie.sources.population.models import Person, Residence

from .conftest import kcc


def _address_of_demo_resident() -> dict[str, object]:
    home = Residence.objects.get(bsn=DEMO_RESIDENT_BSN, valid_to__isnull=True)
    return {
        "postcode": home.postcode,
        "huisnummer": home.house_number,
        "huisletter": home.house_letter,
    }


def test_one_search_log_record_per_party_found(demo: Party) -> None:
    address = _address_of_demo_resident()
    result = gate.find(kcc(), {"person.address": address}, show=["person.name"])
    assert [found.party for found in result.found] == [demo]
    assert result.found[0].values["person.name"].value["geslachtsnaam"] == "Horst"
    records = list(ProcessingLogRecord.objects.all())
    assert [(r.operation, r.data_subject_id) for r in records] == [
        ("search", log.pseudonymise("bsn", DEMO_RESIDENT_BSN))
    ]
    assert records[0].processing_activity_id == "kcc-dienstverlening@2"
    audit = AuditEntry.objects.get(trace_id=result.trace_id)
    assert audit.outcome == AuditOutcome.ALLOWED
    assert audit.elements == ["person.address", "person.name"]


def _birth_dates_shared_by(low: int, high: int) -> tuple[str, int]:
    shared = (
        Person.objects.exclude(birth_date="")
        .values("birth_date")
        .annotate(n=Count("id"))
        .filter(n__gte=low, n__lte=high)
        .order_by("-n", "birth_date")
        .first()
    )
    assert shared is not None
    return shared["birth_date"], shared["n"]


def test_several_matches_each_get_their_own_record(demo: Party) -> None:
    day, persons = _birth_dates_shared_by(2, gate.MAX_FOUND)
    result = gate.find(kcc(), {"person.birth": day})
    assert len(result.found) == persons and not result.truncated
    assert ProcessingLogRecord.objects.filter(operation="search").count() == persons


def test_a_long_list_is_cut_and_only_the_listed_are_logged(demo: Party) -> None:
    day, _persons = _birth_dates_shared_by(gate.MAX_FOUND + 1, 10_000)
    result = gate.find(kcc(), {"person.birth": day})
    assert len(result.found) == gate.MAX_FOUND and result.truncated
    assert ProcessingLogRecord.objects.count() == gate.MAX_FOUND


def test_no_grant_on_a_criterion_is_denied_and_processes_nobody(demo: Party) -> None:
    # The privacy officer may see names, not addresses: she cannot search by address.
    officer = kcc(actor="demo-privacy", role="privacy_officer", activity="privacy-toezicht")
    with pytest.raises(AccessDenied, match=r"person\.address"):
        gate.find(officer, {"person.address": _address_of_demo_resident()})
    assert not ProcessingLogRecord.objects.exists()
    denial = AuditEntry.objects.get(actor="demo-privacy")
    assert denial.outcome == AuditOutcome.DENIED and denial.operation == "search"


def test_criteria_over_two_sources_must_all_match(demo: Party) -> None:
    address = _address_of_demo_resident()
    both = gate.find(kcc(), {"person.address": address, "person.phone": "0687654321"})
    assert [f.party for f in both.found] == [demo]
    neither = gate.find(kcc(), {"person.address": address, "person.phone": "0611111111"})
    assert neither.found == []
    assert AuditEntry.objects.filter(trace_id=neither.trace_id, data_subject_id="").exists()


def test_a_source_that_is_off_makes_the_search_fail_clearly(demo: Party) -> None:
    Source.objects.filter(code="klantregister-almelo").update(active=False)
    with pytest.raises(SourceUnavailable, match="Klantregister"):
        gate.find(kcc(), {"person.phone": "0687654321"})
    assert not ProcessingLogRecord.objects.exists()


@pytest.mark.parametrize(
    ("criteria", "fragment"),
    [
        ({"person.name": "horst"}, "geboortedatum"),
        ({"person.address": {"postcode": "7607AB"}}, "huisnummer"),
    ],
)
def test_incomplete_criteria_are_refused_by_the_source(
    demo: Party, criteria: dict[str, object], fragment: str
) -> None:
    with pytest.raises(GateError, match=fragment):
        gate.find(kcc(), criteria)
    assert not ProcessingLogRecord.objects.exists()


def test_an_element_no_source_can_search_by_is_refused(demo: Party) -> None:
    with pytest.raises(AccessDenied, match="kan niet zoeken"):
        gate.find(kcc(), {"benefit.active": "WW"})
