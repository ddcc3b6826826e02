"""The demo's partner files: police reports and landlord complaints naming residents the
way partner organisations do, mostly without a BSN, imported and linked like real ones.

The files are written from the demo register with a fixed seed and the perturbations of
the Dutch linkage test set (initials, a glued voorvoegsel, a swapped day and month, a
postcode typo, an old address), plus some people the register does not hold. The demo
resident gets one record that links automatically and one that waits for review, so
both show on her page, in the client view and in the review queue.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from klantocratie.imports.services import import_file
from klantocratie.linkage.dutch_testset import non_resident, partner_version
from klantocratie.linkage.services import run_linkage
from klantocratie.registry.models import Source
from klantocratie.sources.population.models import Person, Residence

from .generator import DEMO_RESIDENT_BSN

SEED = 20261124
PERSONS_PER_FILE = 240
STRANGERS_PER_FILE = 25
# Some partners do have the BSN for part of their records.
WITH_BSN = 0.1
FIRST_DAY = date(2025, 11, 1)

HEADER = (
    "kenmerk",
    "bsn",
    "achternaam",
    "voorvoegsel",
    "voornamen",
    "geboortedatum",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
    "woonplaats",
)
POLICE_KINDS = ("burenruzie", "geluidsoverlast", "inbraak", "vernieling", "huiselijke onrust")
COMPLAINT_KINDS = ("onderhoud", "geluidsoverlast", "vocht en schimmel", "buren", "afval")


def _identities(rng: random.Random) -> list[dict[str, Any]]:
    """Living residents with their current address, in a fixed order, then sampled."""
    homes: dict[str, dict[str, Any]] = {
        row["bsn"]: dict(row)
        for row in Residence.objects.filter(valid_to__isnull=True).values(
            "bsn",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "city",
        )
    }
    people = []
    for person in (
        Person.objects.filter(death_date__isnull=True)
        .order_by("bsn")
        .values("bsn", "surname", "surname_prefix", "given_names", "birth_date")
    ):
        home = homes.get(person["bsn"], {})
        people.append(
            {
                **person,
                # The register keeps a partly known date short ("1978-06"); partners and
                # the perturbations write the unknown parts as zeros.
                "birth_date": (person["birth_date"] + "-00-00")[:10]
                if person["birth_date"]
                else "",
                "street": home.get("street"),
                "house_number": home.get("house_number"),
                "house_number_addition": (
                    f"{home.get('house_letter', '')}{home.get('house_number_addition', '')}" or None
                ),
                "postcode": home.get("postcode"),
                "city": home.get("city"),
            }
        )
    return rng.sample(people, min(PERSONS_PER_FILE, len(people)))


def _row(reference: str, identity: dict[str, Any], bsn: str) -> dict[str, Any]:
    return {
        "kenmerk": reference,
        "bsn": bsn,
        "achternaam": identity["surname"],
        "voorvoegsel": identity.get("surname_prefix") or "",
        "voornamen": identity.get("given_names") or "",
        "geboortedatum": identity.get("birth_date") or "",
        "straat": identity.get("street") or "",
        "huisnummer": identity.get("house_number") or "",
        "toevoeging": identity.get("house_number_addition") or "",
        "postcode": identity.get("postcode") or "",
        "woonplaats": identity.get("city") or "",
    }


def _resident_records(prefix: str) -> list[dict[str, Any]]:
    """The demo resident twice: once as a partner writes her (initials, glued
    voorvoegsel), once with one initial and no voorvoegsel, a mistyped birth date and postcode."""
    person = Person.objects.get(bsn=DEMO_RESIDENT_BSN)
    home = Residence.objects.get(bsn=DEMO_RESIDENT_BSN, valid_to__isnull=True)
    initials = "".join(f"{name[0]}." for name in person.given_names.split())
    glued = " ".join(p for p in (person.surname_prefix.capitalize(), person.surname) if p)
    born = date.fromisoformat(person.birth_date)
    typo = home.postcode[:5] + ("A" if home.postcode[5] != "A" else "B")
    base = {"street": home.street, "house_number": home.house_number, "city": home.city}
    return [
        _row(
            f"{prefix}-RIKY-1",
            {
                **base,
                "surname": glued,
                "given_names": initials,
                "birth_date": person.birth_date,
                "postcode": home.postcode,
                "house_number_addition": home.house_letter,
            },
            "",
        ),
        _row(
            f"{prefix}-RIKY-2",
            {
                **base,
                "surname": person.surname,
                "given_names": person.given_names[0],
                "birth_date": (born - timedelta(days=1)).isoformat(),
                "postcode": typo,
            },
            "",
        ),
    ]


def write_partner_file(
    path: Path, prefix: str, kind_column: str, kinds: tuple[str, ...], seed: int, encoding: str
) -> int:
    """A partner file about a sample of residents and some strangers; rows written."""
    rng = random.Random(seed)
    people = _identities(rng)
    rows = []
    for number, person in enumerate(people):
        reference = f"{prefix}-{number:05d}"
        bsn = person["bsn"] if rng.random() < WITH_BSN else ""
        rows.append(_row(reference, partner_version(person, rng, reference), bsn))
    for number in range(STRANGERS_PER_FILE):
        reference = f"{prefix}-X{number:04d}"
        rows.append(_row(reference, non_resident(people, rng, reference), ""))
    rows.extend(_resident_records(prefix))
    # A Windows-1252 export turns letters it lacks into "?", as real ones do.
    with path.open("w", encoding=encoding, errors="replace", newline="") as file:
        writer = csv.DictWriter(
            file, fieldnames=[*HEADER, "datum", kind_column, "omschrijving"], delimiter=";"
        )
        writer.writeheader()
        for row in rows:
            kind = rng.choice(kinds)
            day = FIRST_DAY + timedelta(days=rng.randrange(0, 365))
            writer.writerow(
                {
                    **row,
                    "datum": day.strftime("%d-%m-%Y"),
                    kind_column: kind,
                    "omschrijving": f"{kind.capitalize()} gemeld.",
                }
            )
    return len(rows)


def load_demo_partner_files(directory: Path) -> str:
    """Write, import and link the demo's partner files; a one-line summary."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "politie-meldingen": ("politie-meldingen.csv", "POL", "soort", POLICE_KINDS, "utf-8"),
        # The landlord's export is Windows-1252, as many are: the import detects it.
        "huuradministratie": (
            "klachten-verhuurder.csv",
            "WON",
            "categorie",
            COMPLAINT_KINDS,
            "cp1252",
        ),
    }
    parts = []
    for number, (code, (name, prefix, kind_column, kinds, encoding)) in enumerate(files.items()):
        path = directory / name
        write_partner_file(path, prefix, kind_column, kinds, SEED + number, encoding)
        source = Source.objects.get(code=code)
        batch = import_file(source, path, all_or_nothing=False, requested_by="demo")
        run = run_linkage(source)
        parts.append(
            f"{code}: {batch.loaded} ingelezen, {run.by_bsn} op BSN, {run.automatic} "
            f"automatisch, {run.review} ter beoordeling, {run.unlinked} niet gekoppeld"
        )
    return "; ".join(parts)
