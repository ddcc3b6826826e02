"""Loading the public rule catalogue: every problem named, and no rule without a basis."""

import shutil
from pathlib import Path

import pytest
import yaml

from klantocratie.parties.models import Party
from klantocratie.privacy.models import ChoiceRule, Grant, ProcessingActivity
from klantocratie.signals.models import SignalRule, Team
from klantocratie.signals.packs import SignalPackError, load_signal_rules
from tests.signals.conftest import PACK

pytestmark = pytest.mark.django_db

RULE = "vroegsignalering-betalingsachterstand-v1.yaml"


@pytest.fixture
def folder(tmp_path: Path, demo: Party) -> Path:
    target = tmp_path / "signals"
    shutil.copytree(PACK / "signals", target)
    return target


def _edit(folder: Path, name: str, **changes: object) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(SignalPackError) as caught:
        load_signal_rules(folder)
    assert not SignalRule.objects.exists(), "a refused catalogue loads nothing"
    return [str(problem) for problem in caught.value.problems]


def test_the_demo_catalogue_loads_and_loading_again_changes_nothing(folder: Path) -> None:
    summary = load_signal_rules(folder)
    assert len(summary.loaded) == 8
    assert summary.teams == 5
    assert Team.objects.get(code="schuldhulp").activity == "vroegsignalering"
    again = load_signal_rules(folder)
    assert again.loaded == [] and len(again.unchanged) == 8


def test_a_rule_using_an_element_without_a_grant_for_its_activity_does_not_load(
    folder: Path,
) -> None:
    grant = Grant.objects.get(role="analytics", activity__code="vroegsignalering")
    grant.elements.remove(grant.elements.get(code="arrears.reports"))
    problems = _problems(folder)
    assert any(
        RULE in p and "arrears.reports is niet toegekend" in p and "vroegsignalering" in p
        for p in problems
    ), problems


def test_a_rule_whose_activity_ignores_the_outreach_objection_does_not_load(
    folder: Path,
) -> None:
    ProcessingActivity.objects.filter(code="vroegsignalering").update(choice_rule=ChoiceRule.NONE)
    problems = _problems(folder)
    assert any(RULE in p and "bezwaar tegen proactief benaderen" in p for p in problems)


def test_a_condition_using_facts_of_an_undeclared_element_is_refused(folder: Path) -> None:
    _edit(folder, RULE, elements=["person.address"])
    problems = _problems(folder)
    assert any("noem die gegevens" in p and "arrears.reports" in p for p in problems)


def test_all_problems_are_named_at_once_with_file_and_field(folder: Path) -> None:
    _edit(folder, RULE, when="achterstanden and __import__('os')", severity="enorm")
    _edit(
        folder,
        "levensgebeurtenis-geboorte-v1.yaml",
        resident_explanation="Geboren op {onbekend_feit}.",
        action="sanctie",
    )
    problems = _problems(folder)
    assert any(f"{RULE}, when:" in p for p in problems)
    assert any(f"{RULE}, severity:" in p and "enorm" in p for p in problems)
    assert any("resident_explanation" in p and "onbekend_feit" in p for p in problems)
    assert any("action" in p and "sanctie" in p for p in problems)


def test_a_loaded_version_never_changes_and_a_new_version_takes_over(folder: Path) -> None:
    load_signal_rules(folder)
    _edit(folder, RULE, when="achterstanden >= 1 and days_since(sinds) >= 10")
    problems = _problems_after_load(folder)
    assert any("maak versie 2" in p for p in problems)
    _edit(folder, RULE, version=1, when="achterstanden >= 1 and days_since(sinds) >= 30")
    new = folder / "vroegsignalering-betalingsachterstand-v2.yaml"
    data = yaml.safe_load((folder / RULE).read_text(encoding="utf-8"))
    data.update(version=2, valid_from="2027-01-01", when="days_since(sinds) >= 45")
    new.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = load_signal_rules(folder)
    assert summary.loaded == ["vroegsignalering-betalingsachterstand v2"]
    first = SignalRule.objects.get(code="vroegsignalering-betalingsachterstand", version=1)
    assert str(first.valid_to) == "2026-12-31"


def _problems_after_load(folder: Path) -> list[str]:
    with pytest.raises(SignalPackError) as caught:
        load_signal_rules(folder)
    return [str(problem) for problem in caught.value.problems]
