"""The gate hands every person's identity to the batch environment only, and logs it."""

import pytest

from klantocratie.linkage.services import system_context
from klantocratie.parties.models import Party
from klantocratie.privacy import gate, log
from klantocratie.privacy.errors import AccessDenied
from klantocratie.privacy.models import AuditEntry, AuditOutcome, ProcessingLogRecord
from klantocratie.sources.population.models import Person, Residence

pytestmark = pytest.mark.django_db


def test_the_batch_environment_gets_every_living_person_pseudonymised(demo: Party) -> None:
    rows: list[tuple] = []
    summary = gate.extract_identities(system_context(), rows.extend)

    living = Person.objects.filter(death_date__isnull=True)
    assert summary.subjects == len(rows) == living.count()
    bsns = set(living.values_list("bsn", flat=True))
    assert not any(value in bsns for row in rows for value in row if isinstance(value, str))
    by_bsn = {ref.value: pseudonym for pseudonym, ref in summary.subject_refs.items()}
    person = living.exclude(surname_prefix="").first()
    assert person is not None
    row = next(row for row in rows if row[0] == by_bsn[person.bsn])
    assert row[1:4] == (person.surname, person.surname_prefix, person.given_names)
    home = Residence.objects.get(bsn=person.bsn, valid_to__isnull=True)
    assert (row[6], row[8]) == (home.house_number, home.postcode)


def test_earlier_postcodes_come_along_for_people_who_moved(demo: Party) -> None:
    moved = Residence.objects.filter(valid_to__isnull=False).exclude(postcode="").first()
    assert moved is not None, "the demo generator plants moves"
    rows: list[tuple] = []
    summary = gate.extract_identities(system_context(), rows.extend)
    pseudonym = next(p for p, ref in summary.subject_refs.items() if ref.value == moved.bsn)
    row = next(row for row in rows if row[0] == pseudonym)
    assert moved.postcode in row[10]


def test_each_person_handed_out_is_logged_once_under_the_linkage_activity(demo: Party) -> None:
    before = ProcessingLogRecord.objects.count()
    summary = gate.extract_identities(system_context(), lambda rows: None)
    entries = list(ProcessingLogRecord.objects.filter(sequence__gt=before))
    assert len(entries) == summary.subjects
    assert {e.processing_activity_id for e in entries} == {"koppelen-partnergegevens@1"}
    some = next(iter(summary.subject_refs.values()))
    assert log.pseudonymise(some.identifier_type, some.value) in {
        e.data_subject_id for e in entries
    }
    audit = AuditEntry.objects.latest("at")
    assert audit.outcome == AuditOutcome.ALLOWED and audit.operation == "extract-identities"
    assert audit.elements == ["person.address", "person.birth", "person.name"]


def test_a_desk_role_may_not_read_everyone_even_with_search_grants(demo: Party) -> None:
    kcc = gate.AccessContext(
        actor="demo-kcc",
        role="kcc_agent",
        organisation="gemeente-almelo",
        activity="kcc-dienstverlening",
    )
    rows: list[tuple] = []
    with pytest.raises(AccessDenied):
        gate.extract_identities(kcc, rows.extend)
    assert rows == []
    assert AuditEntry.objects.latest("at").outcome == AuditOutcome.DENIED


def test_the_batch_environment_needs_the_identity_grants_of_the_activity(demo: Party) -> None:
    analysis = gate.AccessContext(
        actor="analyseomgeving",
        role="analytics",
        organisation="gemeente-almelo",
        activity="beleidsanalyse",
    )
    with pytest.raises(AccessDenied) as refused:
        gate.extract_identities(analysis, lambda rows: None)
    assert "naam, geboorte en adres" in refused.value.message
