"""The demo knowledge (national product list and the Almelo pack), loaded once per module."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import transaction

from klantocratie.knowledge.packs import load_knowledge
from klantocratie.knowledge.selectors import forget_vocabulary
from klantocratie.knowledge.services import import_upl
from klantocratie.registry.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "packs" / "almelo" / "knowledge"
QUESTIONS = Path(__file__).resolve().parent / "search_questions.yaml"


def create_almelo_organisations() -> None:
    data = yaml.safe_load((ROOT / "packs" / "almelo" / "organisations.yaml").read_text())
    for entry in data["organisations"]:
        Organisation.objects.get_or_create(
            code=entry["code"], defaults={"name": entry["name"], "kind": entry["kind"]}
        )


@pytest.fixture(scope="module")
def demo_knowledge(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Loaded in a transaction that is rolled back after the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        create_almelo_organisations()
        import_upl()
        load_knowledge(PACK)
        yield
        transaction.set_rollback(True)
    forget_vocabulary()


@pytest.fixture(autouse=True)
def _fresh_vocabulary() -> Iterator[None]:
    # Each test's rollback can bring back an index state a cached vocabulary does not match.
    forget_vocabulary()
    yield
    forget_vocabulary()
