"""docs/imports.md describes every registered column, and its examples load."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from klantocratie.imports.models import BatchStatus
from klantocratie.imports.registry import Importer, importers
from klantocratie.imports.schema import IDENTITY_COLUMNS
from klantocratie.imports.services import import_file
from klantocratie.registry.models import Source

from .conftest import Sources

DOC = (Path(__file__).resolve().parents[2] / "docs" / "imports.md").read_text(encoding="utf-8")


def section(title_part: str) -> str:
    """The text under the heading that contains `title_part`, up to the next heading."""
    match = re.search(rf"^(#+) [^\n]*{re.escape(title_part)}[^\n]*\n(.*?)(?=^#)", DOC, re.M | re.S)
    assert match, f"no section about {title_part} in docs/imports.md"
    return match.group(2)


def documented_columns(text: str) -> list[str]:
    return re.findall(r"^\| `([a-z_]+)` \|", text, re.M)


def test_the_identity_columns_are_documented() -> None:
    assert documented_columns(section("Identity columns")) == [c.name for c in IDENTITY_COLUMNS]


@pytest.mark.parametrize("importer", importers(), ids=lambda importer: importer.connector)
def test_every_column_of_every_source_type_is_documented(importer: Importer) -> None:
    documented = documented_columns(section(f"(`{importer.connector}`)"))
    assert documented == [column.name for column in importer.columns]


def test_every_importer_is_one_of_the_documented_four() -> None:
    assert [importer.connector for importer in importers()] == [
        "local.arrears",
        "local.housing",
        "local.police",
        "local.waste",
    ]


@pytest.mark.parametrize("importer", importers(), ids=lambda importer: importer.connector)
def test_the_examples_load_without_problems(importer: Importer, sources: Sources) -> None:
    source = Source.objects.get(connector=importer.connector)
    examples = re.findall(r"```(csv|json)\n(.*?)```", section(f"(`{importer.connector}`)"), re.S)
    assert examples
    for kind, text in examples:
        name = "voorbeeld.csv" if kind == "csv" else "voorbeeld.jsonl"
        batch = import_file(
            source,
            io.BytesIO(text.encode()),
            all_or_nothing=True,
            requested_by="docs",
            file_format="csv" if kind == "csv" else "jsonl",
        )
        assert batch.problems == [], name
        assert batch.status == BatchStatus.LOADED
