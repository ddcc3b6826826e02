import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from klantocratie.privacy.models import Grant, ProcessingActivity
from klantocratie.registry.models import DataElement, Organisation, Source
from klantocratie.registry.packs import PackError, check_loaded, check_pack, load_pack

PACK = {
    "organisations": [
        {"code": "gemeente", "name": "Gemeente", "kind": "municipality"},
        {"code": "woon", "name": "Woonstichting", "kind": "housing_corporation"},
    ],
    "sources": [
        {
            "code": "brp",
            "name": "BRP",
            "organisation": "gemeente",
            "connector": "test.memory",
            "config": {"elements": ["person.name", "person.address"]},
        },
        {
            "code": "huur",
            "name": "Huur",
            "organisation": "woon",
            "connector": "test.memory",
            "config": {"elements": ["tenancy.contract"]},
        },
    ],
    "elements": [
        {
            "code": "person.name",
            "label": "Naam",
            "party_type": "person",
            "category": "identity",
            "source": "brp",
        },
        {
            "code": "person.address",
            "label": "Adres",
            "party_type": "person",
            "category": "address",
            "source": "brp",
        },
        {
            "code": "tenancy.contract",
            "label": "Huur",
            "party_type": "person",
            "category": "housing",
            "source": "huur",
        },
    ],
    "activities": [
        {
            "code": "kcc",
            "version": 1,
            "name": "KCC",
            "purpose": "Helpen",
            "controller": "gemeente",
            "gdpr_basis": "6.1.e",
            "legal_article": "Art. 160 Gemeentewet",
            "retention": "2 jaar",
            "valid_from": "2024-01-01",
            "valid_to": "2025-12-31",
        },
        {
            "code": "kcc",
            "version": 2,
            "name": "KCC",
            "purpose": "Helpen",
            "controller": "gemeente",
            "gdpr_basis": "6.1.e",
            "legal_article": "Art. 160 Gemeentewet",
            "retention": "2 jaar",
            "valid_from": "2026-01-01",
        },
    ],
    "grants": [
        {
            "organisation": "gemeente",
            "role": "kcc_agent",
            "activity": "kcc",
            "elements": ["person.*", "tenancy.contract"],
            "valid_from": "2024-01-01",
        },
    ],
}


def write_pack(path: Path, **changes: list[dict[str, object]]) -> Path:
    for name, entries in {**PACK, **changes}.items():
        (path / f"{name}.yaml").write_text(
            yaml.safe_dump({name: entries}, allow_unicode=True), encoding="utf-8"
        )
    return path


def messages(path: Path) -> list[str]:
    return [str(problem) for problem in check_pack(path)]


def test_valid_pack_has_no_violations(tmp_path: Path) -> None:
    assert messages(write_pack(tmp_path)) == []


def test_element_with_two_sources_is_a_violation(tmp_path: Path) -> None:
    twice = [
        *PACK["elements"],
        {
            "code": "person.name",
            "label": "Naam",
            "party_type": "person",
            "category": "identity",
            "source": "huur",
        },
    ]
    assert messages(write_pack(tmp_path, elements=twice)) == [
        "elements.yaml, entry 4 (person.name): field 'source': element declared twice: already sourced "
        "from 'brp'; an element has exactly one authoritative source"
    ]


def test_unknown_references_are_named(tmp_path: Path) -> None:
    grants = [
        {
            **PACK["grants"][0],
            "activity": "marketing",
            "role": "boss",
            "elements": ["person.shoe_size"],
        }
    ]
    found = messages(write_pack(tmp_path, grants=grants))
    assert (
        "grants.yaml, entry 1 (gemeente/boss/marketing): field 'activity': unknown processing activity 'marketing'"
        in found
    )
    assert any("field 'role': 'boss' is not one of" in m for m in found)
    assert any("unknown element 'person.shoe_size'" in m for m in found)


def test_missing_and_unknown_fields(tmp_path: Path) -> None:
    organisations = [{"code": "gemeente", "name": "Gemeente", "knd": "municipality"}]
    found = messages(write_pack(tmp_path, organisations=organisations))
    assert "organisations.yaml, entry 1 (gemeente): field 'kind': is required" in found
    assert any(
        m.startswith("organisations.yaml, entry 1 (gemeente): field 'knd': unknown field")
        for m in found
    )


def test_element_the_connector_does_not_provide(tmp_path: Path) -> None:
    elements = [
        *PACK["elements"],
        {
            "code": "person.email",
            "label": "E-mail",
            "party_type": "person",
            "category": "contact",
            "source": "brp",
        },
    ]
    assert messages(write_pack(tmp_path, elements=elements)) == [
        "elements.yaml, entry 4 (person.email): field 'source': the connector of source 'brp' does not provide person.email"
    ]


def test_bad_dates_and_periods(tmp_path: Path) -> None:
    activities = [
        {**PACK["activities"][0], "valid_from": "01-01-2024"},
        {**PACK["activities"][1], "valid_to": "2025-01-01"},
    ]
    found = messages(write_pack(tmp_path, activities=activities))
    assert any("entry 1 (kcc): field 'valid_from'" in m for m in found)
    assert "activities.yaml, entry 2 (kcc): field 'valid_to': lies before valid_from" in found


def test_opt_in_needs_consent_basis(tmp_path: Path) -> None:
    activities = [{**PACK["activities"][1], "choice_rule": "opt_in"}]
    found = messages(write_pack(tmp_path, activities=activities))
    assert (
        "activities.yaml, entry 1 (kcc): field 'gdpr_basis': an opt_in activity rests on consent (6.1.a)"
        in found
    )


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    write_pack(tmp_path)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - code: brp\n   name: [unclosed\n", encoding="utf-8"
    )
    found = messages(tmp_path)
    assert len(found) == 1 and found[0].startswith("sources.yaml: is not valid YAML at line")


def test_missing_required_file(tmp_path: Path) -> None:
    write_pack(tmp_path)
    (tmp_path / "elements.yaml").unlink()
    assert messages(tmp_path) == ["elements.yaml: file is missing"]


@pytest.mark.django_db
class TestLoading:
    def test_load_creates_everything_and_is_idempotent(self, tmp_path: Path) -> None:
        path = write_pack(tmp_path)
        first = load_pack(path)
        assert first.counts == {
            "organisations": 2,
            "sources": 2,
            "elements": 3,
            "activities": 2,
            "grants": 2,
        }
        load_pack(path)
        assert DataElement.objects.count() == 3
        assert Grant.objects.count() == 2  # one per activity version
        grant = Grant.objects.get(activity__version=2)
        assert set(grant.elements.values_list("code", flat=True)) == {
            "person.name",
            "person.address",
            "tenancy.contract",
        }
        assert check_loaded() == []

    def test_invalid_pack_writes_nothing(self, tmp_path: Path) -> None:
        grants = [{**PACK["grants"][0], "organisation": "unknown"}]
        with pytest.raises(PackError) as caught:
            load_pack(write_pack(tmp_path, grants=grants))
        assert "unknown organisation 'unknown'" in str(caught.value)
        assert not Organisation.objects.exists()
        assert not ProcessingActivity.objects.exists()

    def test_commands_report_and_fail(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = write_pack(tmp_path)
        call_command("check_pack", str(path))
        assert "No violations." in capsys.readouterr().out
        call_command("load_pack", str(path))
        call_command("check_pack")
        twice = [*PACK["elements"], {**PACK["elements"][0], "source": "huur"}]
        with pytest.raises(CommandError, match="1 violation"):
            call_command("check_pack", str(write_pack(tmp_path, elements=twice)))
        with pytest.raises(CommandError, match="nothing was written"):
            call_command("load_pack", str(path / "missing"))

    def test_loaded_element_whose_connector_lost_it(self, tmp_path: Path) -> None:
        load_pack(write_pack(tmp_path))
        Source.objects.filter(code="brp").update(config={"elements": ["person.name"]})
        assert check_loaded() == [
            "element person.address: its source brp (test.memory) does not provide it"
        ]


@pytest.mark.django_db
class TestUniqueSourceConstraint:
    def test_database_refuses_an_element_twice(self, tmp_path: Path) -> None:
        load_pack(write_pack(tmp_path))
        with pytest.raises(IntegrityError), transaction.atomic():
            DataElement.objects.create(
                code="person.name",
                label="Naam",
                party_type="person",
                category="identity",
                source=Source.objects.get(code="huur"),
            )

    def test_database_refuses_an_element_without_source(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            DataElement.objects.create(
                code="person.name",
                label="Naam",
                party_type="person",
                category="identity",
                source_id=None,
            )


@pytest.mark.django_db
class TestReloading:
    def test_grant_removed_from_the_pack_stops_working(self, tmp_path: Path) -> None:
        load_pack(write_pack(tmp_path))
        narrower = [{**PACK["grants"][0], "elements": ["person.name"], "may_change": True}]
        summary = load_pack(write_pack(tmp_path, grants=narrower))
        assert summary.revoked_grants == 2
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        live = Grant.objects.filter(valid_to__isnull=True)
        assert {(g.may_change, g.valid_to) for g in live} == {(True, None)}
        ended = Grant.objects.filter(may_change=False)
        assert {g.valid_to for g in ended} == {yesterday}

    def test_restoring_a_grant_reopens_it(self, tmp_path: Path) -> None:
        load_pack(write_pack(tmp_path))
        load_pack(write_pack(tmp_path, grants=[]))
        assert not Grant.objects.filter(valid_to__isnull=True).exists()
        load_pack(write_pack(tmp_path))
        assert Grant.objects.filter(valid_to__isnull=True).count() == 2

    def test_grants_of_organisations_outside_the_pack_are_left_alone(self, tmp_path: Path) -> None:
        load_pack(write_pack(tmp_path))
        other = Organisation.objects.create(code="elders", name="Elders", kind="municipality")
        outside = Grant.objects.create(
            organisation=other,
            role="kcc_agent",
            activity=ProcessingActivity.objects.get(version=2),
            valid_from=dt.date(2024, 1, 1),
        )
        load_pack(write_pack(tmp_path, grants=[]))
        outside.refresh_from_db()
        assert outside.valid_to is None

    def test_entries_with_the_same_key_add_their_elements(self, tmp_path: Path) -> None:
        split = [
            {**PACK["grants"][0], "elements": ["person.name"]},
            {**PACK["grants"][0], "elements": ["tenancy.contract"]},
        ]
        load_pack(write_pack(tmp_path, grants=split))
        grant = Grant.objects.get(activity__version=2)
        assert set(grant.elements.values_list("code", flat=True)) == {
            "person.name",
            "tenancy.contract",
        }


@pytest.mark.parametrize(
    ("file", "changes", "expected"),
    [
        ("grants", {"versions": 1}, "field 'versions': expected a list"),
        ("grants", {"versions": ["one"]}, "field 'versions': expected a list of version numbers"),
        ("grants", {"may_change": "maybe"}, "field 'may_change': expected true or false"),
        ("elements", {"changeable": "maybe"}, "field 'changeable': expected true or false"),
        ("elements", {"display_order": "first"}, "field 'display_order': expected a whole number"),
        ("sources", {"config": ["a"]}, "field 'config': expected a mapping of settings"),
        ("organisations", {"name": "x" * 300}, "field 'name': at most 200 characters (300 given)"),
        ("organisations", {"name": 12}, "field 'name': expected text"),
    ],
)
def test_wrongly_shaped_values_are_named_before_anything_is_written(
    tmp_path: Path, file: str, changes: dict[str, object], expected: str
) -> None:
    entries = [dict(PACK[file][0], **changes), *PACK[file][1:]]
    path = write_pack(tmp_path, **{file: entries})
    assert any(expected in message for message in messages(path)), messages(path)
