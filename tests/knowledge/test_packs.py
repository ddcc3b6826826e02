import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from klantocratie.knowledge.models import (
    AnswerStatus,
    LifeEvent,
    LocalVariant,
    QuestionAnswer,
)
from klantocratie.knowledge.packs import KnowledgePackError, load_knowledge
from klantocratie.knowledge.services import import_upl
from tests.knowledge.conftest import PACK, create_almelo_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _upl_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        create_almelo_organisations()
        import_upl()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def upl(_upl_module: None, db: None) -> None:
    """Organisations and the national product list, without any pack content."""


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(PACK, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_almelo_pack_loads_life_events_answers_and_local_variants(upl: None) -> None:
    summary = load_knowledge(PACK)
    assert summary.counts["answers"] >= 80
    assert (
        LifeEvent.objects.filter(
            slug__in=[
                "verhuizen",
                "geboorte",
                "starten-bedrijf",
                "werkloos-worden",
                "met-pensioen",
                "overlijden",
            ]
        ).count()
        == 6
    )
    moving = LifeEvent.objects.get(slug="verhuizen")
    assert moving.products.filter(name="verhuismelding").exists()
    answer = QuestionAnswer.objects.get(slug="verhuizing-doorgeven")
    assert answer.source_name == "Gemeente Almelo" and answer.last_reviewed.year == 2026
    assert answer.related_questions.filter(slug="afval-nieuw-adres").exists()
    assert QuestionAnswer.objects.get(slug="tozo-oud").status == AnswerStatus.INACTIVE
    passport = LocalVariant.objects.get(
        product__name="paspoort", municipality__code="gemeente-almelo"
    )
    assert str(passport.fee) == "84.05"
    organisations = set(
        QuestionAnswer.objects.values_list("organisations__code", flat=True).distinct()
    )
    assert {
        "gemeente-almelo",
        "belastingdienst",
        "uwv",
        "kvk",
        "woonstichting-twente",
        "afvalbedrijf-twente",
    } <= organisations


def test_loading_twice_updates_instead_of_duplicating(upl: None) -> None:
    load_knowledge(PACK)
    counts = (
        QuestionAnswer.objects.count(),
        LifeEvent.objects.count(),
        LocalVariant.objects.count(),
    )
    load_knowledge(PACK)
    assert (
        QuestionAnswer.objects.count(),
        LifeEvent.objects.count(),
        LocalVariant.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "answers-gemeente.yaml",
            "products: [verhuismelding]",
            "products: [verhuisbericht]",
            "answers-gemeente.yaml, item 1 (verhuizing-doorgeven), products: onbekend UPL-product 'verhuisbericht'",
        ),
        (
            "answers-rijk.yaml",
            "organisations: [uwv]",
            "organisations: [uvw]",
            "organisations: onbekende organisatie 'uvw'",
        ),
        (
            "answers-gemeente.yaml",
            "last_reviewed: 2026-10-01",
            "last_reviewed: 1 oktober",
            "last_reviewed: '1 oktober' is geen datum",
        ),
        (
            "answers-gemeente.yaml",
            "related: [verhuizen-wat-regelen,",
            "related: [bestaat-niet,",
            "related: onbekende vraag 'bestaat-niet'",
        ),
        (
            "answers-gemeente.yaml",
            "life_events: [verhuizen]",
            "life_events: [emigreren]",
            "onbekende levensgebeurtenis 'emigreren'",
        ),
        (
            "answers-gemeente.yaml",
            "audience: inwoner",
            "audience: burger",
            "audience: 'burger' is geen van",
        ),
        (
            "answers-gemeente.yaml",
            'source: {name: Gemeente Almelo, url: "https://www.almelo.nl/verhuizen"}',
            "source: Almelo",
            "source: verwacht een bron",
        ),
        ("local-variants.yaml", "fee: 84.05", "fee: gratis", "fee: 'gratis' is geen bedrag"),
        (
            "local-variants.yaml",
            "municipality: gemeente-almelo",
            "municipality: uwv",
            "'uwv' is geen bekende gemeente",
        ),
        (
            "life-events.yaml",
            "slug: geboorte",
            "slug: verhuizen",
            "'verhuizen' komt twee keer voor",
        ),
        (
            "products.yaml",
            "name: verhuismelding",
            "name: verhuizing",
            "onbekend UPL-product 'verhuizing'",
        ),
        ("answers-rijk.yaml", "answers:", "answers: [", "geen geldige YAML"),
    ],
)
def test_a_malformed_pack_is_refused_whole_with_file_entry_and_field(
    upl: None, pack_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(pack_copy / file, old, new)
    with pytest.raises(KnowledgePackError) as error:
        load_knowledge(pack_copy)
    assert any(message in str(problem) for problem in error.value.problems), error.value.problems
    assert QuestionAnswer.objects.count() == LifeEvent.objects.count() == 0


def test_the_command_lists_problems_and_loads_nothing(upl: None, pack_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (pack_copy / "life-events.yaml").unlink()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_knowledge", str(pack_copy))
    assert "life-events.yaml: bestand ontbreekt" in capsys.readouterr().err
    call_command("load_knowledge", str(PACK))
    assert "answers" in capsys.readouterr().out
