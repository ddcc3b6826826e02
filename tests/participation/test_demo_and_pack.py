"""The pack's participation file, and the demo polls built on it."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.participation.demo import PARKING, load_demo_participation
from klantocratie.participation.models import CouncilMember, Poll, PollNotice, PollStatus, Theme
from klantocratie.participation.packs import ParticipationPackError, load_participation
from klantocratie.participation.results import poll_results

from .conftest import PortalWorld


def test_the_demo_loads_once_with_results_that_hide_small_cells(
    portal_world: PortalWorld,
) -> None:
    summary = load_demo_participation(django_settings.DEMO_PACK_DIR)
    assert summary.startswith("7 thema's, 5 raadsleden, 3 peilingen met ")
    assert load_demo_participation(django_settings.DEMO_PACK_DIR) == summary
    statuses = dict(Poll.objects.values_list("title", "status"))
    assert sorted(statuses.values()) == sorted(PollStatus.values)
    parking = Poll.objects.get(title=PARKING.title)
    assert parking.is_closed()
    results = poll_results(parking)
    cells = [c for area in results.areas for _o, c in area.cells]
    assert any(c.below_k for c in cells) and any(not c.hidden for _o, c in results.rows)
    # The demo resident follows waste and has the open poll waiting on her page.
    assert PollNotice.objects.filter(party=portal_world.riky, seen_at__isnull=True).count() == 1


def test_a_pack_file_with_problems_is_not_loaded(db: None, tmp_path: Path) -> None:
    (tmp_path / "participation.yaml").write_text(
        "themes:\n  - {code: afval}\n  - {code: afval, name: Afval}\n"
        "council_members:\n  - {code: jan, name: Jan, themes: [wonen]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParticipationPackError) as error:
        load_participation(tmp_path)
    assert [str(p) for p in error.value.problems] == [
        "participation.yaml, themes 2 (afval), code: 'afval' komt twee keer voor",
        "participation.yaml, themes 1 (afval), name: verplicht veld ontbreekt",
        "participation.yaml, council_members 1 (jan), themes: onbekend thema 'wonen'",
        "participation.yaml, council_members 1 (jan), fractie: verplicht veld ontbreekt",
    ]
    assert not Theme.objects.exists()


def test_a_theme_left_out_of_the_pack_becomes_inactive(db: None, tmp_path: Path) -> None:
    load_participation(django_settings.DEMO_PACK_DIR)
    (tmp_path / "participation.yaml").write_text(
        "themes:\n  - {code: afval, name: Afval}\n", encoding="utf-8"
    )
    summary = load_participation(tmp_path)
    assert (summary.themes, summary.council_members) == (1, 0)
    assert list(Theme.objects.filter(active=True).values_list("code", flat=True)) == ["afval"]
    assert not CouncilMember.objects.filter(active=True).exists()
