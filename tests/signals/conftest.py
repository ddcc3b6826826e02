"""The demo municipality with its signal rules and the planted situations of each rule."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from klantocratie.cases.packs import load_case_types
from klantocratie.demo.signal_cases import Planted
from klantocratie.parties.models import Party
from klantocratie.privacy.gate import AccessContext
from klantocratie.signals.demo import plant_demo_situations
from klantocratie.signals.packs import load_signal_rules
from tests.frontoffice.conftest import demo  # noqa: F401  (re-exported fixture)

PACK = Path(settings.DEMO_PACK_DIR)


@pytest.fixture(autouse=True)
def _snapshots_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def signal_rules(demo: Party) -> Party:  # noqa: F811
    """The pack's case types and signal rules; returns the demo resident."""
    load_case_types(PACK / "cases")
    load_signal_rules(PACK / "signals")
    return demo


@pytest.fixture
def planted(signal_rules: Party) -> Planted:
    """The situations each rule must find and must pass over, with the permit cases."""
    return plant_demo_situations()


def team_member(role: str, activity: str, actor: str) -> AccessContext:
    return AccessContext(actor=actor, role=role, organisation="gemeente-almelo", activity=activity)


SOCIAL = team_member("social_worker", "sociaal-domein", "demo-sociaal")
DEBT_HELP = team_member("social_worker", "vroegsignalering", "demo-sociaal")
PERMITS = team_member("case_worker", "zaakbehandeling", "demo-zaak")


def resident_of(party: Party) -> AccessContext:
    return AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=party.pk,
    )
