"""Partner-file imports: the four importable registries as the pack names them, and
helpers that write partner files the way partners' systems do."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from klantocratie.registry.models import Organisation, Source

IDENTITY = {
    "achternaam": "Horst",
    "voorvoegsel": "ter",
    "voornamen": "Riky",
    "geboortedatum": "19-05-1971",
    "straat": "Grotestraat",
    "huisnummer": "12a",
    "postcode": "7607 ab",
    "woonplaats": "Almelo",
}


@dataclass
class Sources:
    housing: Source
    police: Source
    waste: Source
    arrears: Source


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sources(db: None) -> Sources:
    made = {}
    for attribute, code, connector, organisation in [
        ("housing", "huuradministratie", "local.housing", "woonstichting-twente"),
        ("police", "politie-meldingen", "local.police", "politie-twente"),
        ("waste", "afval-wegingen", "local.waste", "afvalbedrijf-twente"),
        ("arrears", "vroegsignalen", "local.arrears", "gemeente-almelo"),
    ]:
        owner = Organisation.objects.create(code=organisation, name=organisation, kind="other")
        made[attribute] = Source.objects.create(
            code=code, name=code, organisation=owner, connector=connector
        )
    return Sources(**made)


def complaint(reference: str, **overrides: str) -> dict[str, str]:
    row = {
        "kenmerk": reference,
        "bsn": "",
        **IDENTITY,
        "datum": "05-03-2024",
        "categorie": "onderhoud",
        "omschrijving": "Lekkage in de badkamer.",
        "status": "open",
    }
    row.update(overrides)
    return row


def csv_bytes(
    rows: Iterable[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    columns: list[str] | None = None,
) -> bytes:
    rows = list(rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    header = columns or list(rows[0])
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode(encoding)


def jsonl_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path
