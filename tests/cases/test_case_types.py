"""Case types from the pack: versions, publishing, and the problems a policy officer sees."""

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from klantocratie.cases import decisions, services
from klantocratie.cases.models import CaseTypeVersion, VersionState
from klantocratie.cases.packs import CasePackError, load_case_types
from klantocratie.parties.models import Party
from tests.cases.conftest import CASES_DIR, worker

pytestmark = pytest.mark.django_db
PERMIT = "omgevingsvergunning-bouwen-v1.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "cases"
    shutil.copytree(CASES_DIR, target)
    return target


def edit(folder: Path, name: str, **changes: object) -> dict:
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    data.update(changes)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return data


def test_the_demo_case_types_load_published(case_types: Party) -> None:
    versions = CaseTypeVersion.objects.filter(state=VersionState.PUBLISHED)
    assert versions.count() == 6
    permit = versions.get(case_type__identification="omgevingsvergunning-bouwen")
    assert [s.code for s in permit.status_types.all()] == [
        "ontvangen",
        "in-behandeling",
        "advies",
        "besluit",
        "afgehandeld",
    ]
    assert permit.result_types.get(code="verleend").retention_period == "P1Y"
    assert permit.second_opinion_rule.cost_eur == 350


def test_loading_the_same_pack_again_changes_nothing(case_types: Party) -> None:
    summary = load_case_types(CASES_DIR)
    assert summary.loaded == [] and len(summary.unchanged) == 6


def test_a_published_version_cannot_change(case_types: Party, folder: Path) -> None:
    edit(folder, PERMIT, processing_days=30)
    with pytest.raises(CasePackError) as error:
        load_case_types(folder)
    assert "maak versie 2" in str(error.value)
    assert (
        CaseTypeVersion.objects.get(
            case_type__identification="omgevingsvergunning-bouwen"
        ).processing_days
        == 56
    )


def test_a_new_version_applies_to_new_cases_and_running_cases_keep_theirs(
    case_types: Party, folder: Path
) -> None:
    running = services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(case_types)],
        description="Aanbouw",
    )
    data = yaml.safe_load((folder / PERMIT).read_text(encoding="utf-8"))
    data.update(version=2, processing_days=28, valid_from=timezone.localdate().isoformat())
    data["status_types"] = [s for s in data["status_types"] if s["code"] != "advies"]
    (folder / "omgevingsvergunning-bouwen-v2.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    assert load_case_types(folder).loaded == ["omgevingsvergunning-bouwen v2"]
    v1 = CaseTypeVersion.objects.get(
        case_type__identification="omgevingsvergunning-bouwen", version=1
    )
    assert v1.valid_until == timezone.localdate() - timedelta(days=1)
    later = services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(case_types)],
        description="Dakkapel",
    )
    assert later.case_type_version.version == 2
    assert later.deadline == later.start_date + timedelta(days=28)
    running.refresh_from_db()
    assert running.case_type_version == v1
    # The running case still has, and can reach, the status v2 dropped.
    services.complete_task(worker(), running.tasks.get(task_type__code="volledigheid"), {})
    services.set_status(worker(), running, "in-behandeling")
    services.set_status(worker(), running, "advies")


def test_a_draft_version_is_not_used_for_new_cases(case_types: Party, folder: Path) -> None:
    data = yaml.safe_load((folder / PERMIT).read_text(encoding="utf-8"))
    data.update(version=2, state="draft", valid_from=timezone.localdate().isoformat())
    (folder / "v2.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    load_case_types(folder)
    case = services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(case_types)],
        description="Aanbouw",
    )
    assert case.case_type_version.version == 1


def test_a_decision_table_that_does_not_parse_is_refused_with_its_place(
    case_types: Party, folder: Path
) -> None:
    table = folder / "omgevingsvergunning-welstandsroute.jdm.json"
    content = json.loads(table.read_text(encoding="utf-8"))
    content["nodes"][1]["content"]["rules"][3]["in2"] = "> > 10"
    table.write_text(json.dumps(content), encoding="utf-8")
    edit(folder, PERMIT, version=2)
    with pytest.raises(CasePackError) as error:
        load_case_types(folder)
    message = str(error.value)
    assert "regel 4" in message and "Bouwhoogte (m)" in message and "> > 10" in message
    assert not CaseTypeVersion.objects.filter(version=2).exists()


def test_broken_json_is_refused(case_types: Party, folder: Path) -> None:
    (folder / "omgevingsvergunning-welstandsroute.jdm.json").write_text(
        "{nodes: [", encoding="utf-8"
    )
    edit(folder, PERMIT, version=2)
    with pytest.raises(CasePackError) as error:
        load_case_types(folder)
    assert "geen geldige JSON" in str(error.value)


def test_every_problem_is_reported_at_once(case_types: Party, folder: Path) -> None:
    data = edit(
        folder, PERMIT, version=3, processing_days="acht weken", confidentiality="heel geheim"
    )
    data["result_types"][0]["selection_list_class"] = "99.9"
    data["task_types"][0]["required_before"] = "onbekend"
    (folder / PERMIT).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CasePackError) as error:
        load_case_types(folder)
    fields = {problem.field for problem in error.value.problems}
    assert {
        "processing_days",
        "confidentiality",
        "selection_list_class",
        "required_before",
    } <= fields


def test_unparseable_cells_are_found_although_the_engine_would_skip_them() -> None:
    table = json.loads((CASES_DIR / "wmo-maatwerk.jdm.json").read_text(encoding="utf-8"))
    assert decisions.parse(json.dumps(table))
    table["nodes"][1]["content"]["rules"][0]["out0"] = '"woningaanpassing'
    with pytest.raises(decisions.DecisionTableInvalid) as error:
        decisions.parse(json.dumps(table))
    assert "regel 1" in str(error.value) and "Voorziening" in str(error.value)


def test_evaluation_gives_the_first_matching_rule() -> None:
    table = json.loads((CASES_DIR / "bijstand-norm.jdm.json").read_text(encoding="utf-8"))
    advice = decisions.evaluate(table, {"leefsituatie": "gehuwd", "leeftijd": 40})
    assert advice.outcome == {"norm": 2002.14, "reintegratie": "traject"}
    young = decisions.evaluate(table, {"leefsituatie": "gehuwd", "leeftijd": 19})
    assert young.outcome["norm"] == 309.84 and young.rules == {"Bijstandsnorm": "regel-1"}
