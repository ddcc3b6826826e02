"""A Dutch linkage test: the official BRP test persons, and a partner file about them.

The persons come from the BRP test set shipped with the demo (BRP Personen v2 JSON).
The partner file is made from them the way a housing corporation's, police's or
creditor's file differs from the register: the voorvoegsel glued to the surname,
dropped or written after it ("Berg, van der"), initials instead of given names, typos
in names, day and month swapped or one digit wrong in the birth date, a house-number
addition written in the number ("12a", "12-A") or left out, postcode typos and
spacing, capitals, missing fields, people who have moved since (the partner still has
the old address; the register keeps the old postcode in `previous_postcodes`), and
people who do not live here at all (no true match in the register).

Everything follows from the seed. The BSN is not in either table: ground truth is
kept aside as (partner id, person id) pairs.

`partner_version` and `move` work on any record in the standard shape, so the
benchmark's synthetic region gets its partner file the same way.
"""

from __future__ import annotations

import json
import random
import string
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa

from .normalise import STANDARD_COLUMNS

BRP_TEST_PERSONS = (
    Path(__file__).resolve().parent.parent / "demo" / "data" / "brp-testpersonen.json"
)

# How often a partner's record differs from the register, per kind of difference.
MOVED = 0.08
PREFIX_GLUED = 0.30
PREFIX_AFTER_COMMA = 0.15
PREFIX_DROPPED = 0.15
SURNAME_TYPO = 0.06
INITIALS_ONLY = 0.30
FIRST_GIVEN_NAME_ONLY = 0.20
GIVEN_NAME_TYPO = 0.05
GIVEN_NAMES_MISSING = 0.02
DAY_MONTH_SWAPPED = 0.04
BIRTH_DATE_TYPO = 0.04
BIRTH_DATE_MISSING = 0.03
POSTCODE_TYPO = 0.04
POSTCODE_MISSING = 0.03
ADDITION_DROPPED = 0.20
CAPITALS = 0.20
DIACRITICS_DROPPED = 0.40

STANDARD_FIELDS = STANDARD_COLUMNS
PERSON_FIELDS = (*STANDARD_FIELDS, "previous_postcodes")


class LinkageTestSet(NamedTuple):
    partner: pa.Table
    persons: pa.Table
    true_pairs: frozenset[tuple[str, str]]  # (partner unique_id, person unique_id)


def _brp_date(value: str | None) -> str | None:
    """ "19700700" as "1970-07-00": the register's partial dates keep their zeros."""
    if not value or len(value) != 8 or value == "00000000":
        return None
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def brp_persons(path: Path = BRP_TEST_PERSONS) -> list[dict[str, Any]]:
    """The BRP test persons in the standard shape, unique_id still unset.

    Left out: the DigiD test accounts (their names are placeholders with a number in
    them, "Digid 1 100600116 geslachtsnaam", nothing a partner would write), and a
    second registration of the same name and birth date under another BSN, which the
    test set holds for other purposes and which no method could tell apart.
    """
    persons, seen = [], set()
    for entry in json.loads(path.read_text(encoding="utf-8")):
        name = entry.get("naam") or {}
        surname = name.get("geslachtsnaam")
        given = (name.get("voornamen") or "").strip() or None
        if not surname or (given or "").startswith("Digid"):
            continue
        born = _brp_date((entry.get("geboorte") or {}).get("datum"))
        key = (surname, given, born)
        if key in seen:
            continue
        seen.add(key)
        home = entry.get("verblijfplaats") or {}
        addition = "".join(
            part for part in (home.get("huisletter"), home.get("huisnummertoevoeging")) if part
        )
        persons.append(
            {
                "surname": surname,
                "surname_prefix": name.get("voorvoegsel"),
                "given_names": given,
                "birth_date": born,
                "postcode": home.get("postcode"),
                "house_number": home.get("huisnummer"),
                "house_number_addition": addition or None,
                "street": home.get("straat"),
                "city": home.get("woonplaats"),
                "previous_postcodes": [],
            }
        )
    return persons


def _typo(text: str, rng: random.Random) -> str:
    """One keying error: a letter changed, left out, added, or two letters swapped."""
    positions = [i for i, c in enumerate(text) if c.isalpha()]
    if len(positions) < 2:
        return text
    i = rng.choice(positions[1:])  # the first letter is rarely the wrong one
    letter = rng.choice(string.ascii_lowercase)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + letter + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + letter + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _surname(person: dict[str, Any], rng: random.Random) -> tuple[str, str | None]:
    surname, prefix = person["surname"], person.get("surname_prefix")
    if rng.random() < SURNAME_TYPO:
        surname = _typo(surname, rng)
    if not prefix:
        return surname, None
    draw = rng.random()
    if draw < PREFIX_GLUED:
        return f"{prefix[0].upper()}{prefix[1:]} {surname}", None
    if draw < PREFIX_GLUED + PREFIX_AFTER_COMMA:
        return f"{surname}, {prefix}", None
    if draw < PREFIX_GLUED + PREFIX_AFTER_COMMA + PREFIX_DROPPED:
        return surname, None
    return surname, prefix


def _given_names(given: str | None, rng: random.Random) -> str | None:
    if not given or rng.random() < GIVEN_NAMES_MISSING:
        return None
    names = given.split()
    draw = rng.random()
    if draw < INITIALS_ONLY:
        initials = [name[0].upper() for name in names]
        style = rng.randrange(3)
        if style == 0:
            return "".join(f"{i}." for i in initials)
        return " ".join(initials) if style == 1 else "".join(initials)
    if draw < INITIALS_ONLY + FIRST_GIVEN_NAME_ONLY:
        names = names[:1]
    if rng.random() < GIVEN_NAME_TYPO:
        names[0] = _typo(names[0], rng)
    return " ".join(names)


def _digit_typo(iso: str, rng: random.Random) -> str:
    """One digit of the date changed, still a date a form would accept."""
    for _ in range(20):
        i = rng.choice([2, 3, 5, 6, 8, 9])
        candidate = iso[:i] + str(rng.randrange(10)) + iso[i + 1 :]
        month, day = int(candidate[5:7]), int(candidate[8:])
        if candidate != iso and 1 <= month <= 12 and 1 <= day <= 28:
            return candidate
    return iso


def _birth_date(born: str | None, rng: random.Random) -> str | None:
    if not born or rng.random() < BIRTH_DATE_MISSING:
        return None
    if born.endswith("-00"):  # a partial date: partners write what they were told
        return born
    draw = rng.random()
    year, month, day = born[:4], born[5:7], born[8:]
    if draw < DAY_MONTH_SWAPPED and day != month and int(day) <= 12:
        born = f"{year}-{day}-{month}"
    elif draw < DAY_MONTH_SWAPPED + BIRTH_DATE_TYPO:
        born = _digit_typo(born, rng)
    style = rng.randrange(3)  # partners write dates their own way
    if style == 0:
        return born
    if style == 1:
        return born.replace("-", "")
    return f"{born[8:]}-{born[5:7]}-{born[:4]}"


def _postcode(postcode: str | None, rng: random.Random) -> str | None:
    if not postcode or rng.random() < POSTCODE_MISSING:
        return None
    if rng.random() < POSTCODE_TYPO:
        i = rng.randrange(len(postcode))
        pool = string.digits if postcode[i].isdigit() else string.ascii_uppercase
        postcode = postcode[:i] + rng.choice(pool.replace(postcode[i], "")) + postcode[i + 1 :]
    style = rng.randrange(3)
    if style == 0:
        return postcode
    if style == 1:
        return f"{postcode[:4]} {postcode[4:]}"
    return postcode.lower()


def _house_number(
    number: Any, addition: str | None, rng: random.Random
) -> tuple[str | None, str | None]:
    if number is None:
        return None, None
    number = str(number)
    if not addition or rng.random() < ADDITION_DROPPED:
        return number, None
    style = rng.randrange(4)
    if style == 0:
        return f"{number}{addition.lower()}", None
    if style == 1:
        return f"{number}-{addition}", None
    if style == 2:
        return f"{number} {addition.upper()}", None
    return number, addition


def partner_version(person: dict[str, Any], rng: random.Random, partner_id: str) -> dict[str, Any]:
    """How a partner's file would hold this person (standard shape, no previous postcodes)."""
    surname, prefix = _surname(person, rng)
    given = _given_names(person.get("given_names"), rng)
    if rng.random() < DIACRITICS_DROPPED:
        surname, given = _plain(surname), given and _plain(given)
    if rng.random() < CAPITALS:
        surname, prefix, given = surname.upper(), prefix and prefix.upper(), given and given.upper()
    number, addition = _house_number(
        person.get("house_number"), person.get("house_number_addition"), rng
    )
    return {
        "unique_id": partner_id,
        "surname": surname,
        "surname_prefix": prefix,
        "given_names": given,
        "birth_date": _birth_date(person.get("birth_date"), rng),
        "postcode": _postcode(person.get("postcode"), rng),
        "house_number": number,
        "house_number_addition": addition,
        "street": person.get("street"),
        "city": person.get("city"),
    }


def move(person: dict[str, Any], new_home: dict[str, Any]) -> dict[str, Any]:
    """The person after a move to `new_home`'s address; the old postcode is kept."""
    moved = dict(person)
    for field in ("postcode", "house_number", "house_number_addition", "street", "city"):
        moved[field] = new_home.get(field)
    moved["previous_postcodes"] = [*person.get("previous_postcodes", []), person["postcode"]]
    return moved


def non_resident(pool: list[dict[str, Any]], rng: random.Random, partner_id: str) -> dict[str, Any]:
    """Someone the register does not hold: a name and an address from nowhere in it."""
    surname_from, given_from = rng.choice(pool), rng.choice(pool)
    born = f"{rng.randrange(1930, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    postcode = f"{rng.randrange(1000, 10000)}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}" + rng.choice(
        "ABCDEFGHJKLMNPRSTVWXZ"
    )
    stranger = {
        "surname": surname_from["surname"],
        "surname_prefix": surname_from.get("surname_prefix"),
        "given_names": given_from.get("given_names"),
        "birth_date": born,
        "postcode": postcode,
        "house_number": str(rng.randrange(1, 300)),
        "house_number_addition": None,
        "street": rng.choice(pool).get("street"),
        "city": None,
    }
    return partner_version(stranger, rng, partner_id)


def _table(records: list[dict[str, Any]], fields: tuple[str, ...]) -> pa.Table:
    schema = pa.schema(
        [
            (field, pa.list_(pa.string()) if field == "previous_postcodes" else pa.string())
            for field in fields
        ]
    )
    return pa.table({field: [r.get(field) for r in records] for field in fields}, schema=schema)


def build(
    seed: int = 20260101, *, coverage: float = 0.75, non_resident_share: float = 0.12
) -> LinkageTestSet:
    """The register persons, a partner file about `coverage` of them plus strangers
    making up `non_resident_share` of the file, and the true pairs."""
    rng = random.Random(seed)
    persons = brp_persons()
    rng.shuffle(persons)
    for number, person in enumerate(persons, start=1):
        person["unique_id"] = f"persoon-{number:04d}"
    with_address = [p for p in persons if p.get("postcode")]
    described = rng.sample(persons, round(coverage * len(persons)))
    strangers = round(len(described) * non_resident_share / (1 - non_resident_share))
    partner_ids = [
        f"partner-{n:05d}" for n in rng.sample(range(1, 100_000), len(described) + strangers)
    ]
    register = {p["unique_id"]: p for p in persons}
    partner, true_pairs = [], set()
    for person, partner_id in zip(described, partner_ids, strict=False):
        partner.append(partner_version(person, rng, partner_id))
        true_pairs.add((partner_id, person["unique_id"]))
        if person.get("postcode") and rng.random() < MOVED:
            register[person["unique_id"]] = move(person, rng.choice(with_address))
    for partner_id in partner_ids[len(described) :]:
        partner.append(non_resident(persons, rng, partner_id))
    rng.shuffle(partner)
    return LinkageTestSet(
        _table(partner, STANDARD_FIELDS),
        _table(list(register.values()), PERSON_FIELDS),
        frozenset(true_pairs),
    )
