"""The import format: columns, how each value is read, and the rules for a whole row.

Every partner file names the person the record is about (the identity columns, the
same for every source type) and carries the record itself (the source type's own
columns, declared by the source app in its ``imports.py``). Column names are Dutch and
lower case; each value is read by a small parser that returns the value to store or
raises FieldError with a reason in Dutch.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.parties.validators import normalise_postcode, validate_bsn

from .dates import DateError, parse_birth_date, parse_date

# The partner's key of the record: a re-delivery with the same key updates the record.
KEY = "kenmerk"
# Columns the rejects file adds; a corrected rejects file can be imported as it is.
REJECTS_COLUMNS = ("regel", "fouten")

Values = dict[str, Any]
Parser = Callable[[str], Any]


class FieldError(ValueError):
    """A value that cannot be read; the message says why, in Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column of the format: its name, whether it must be filled, how it is read.

    ``parse`` gets the value with surrounding spaces removed and never an empty one: an
    empty value is None (or a required value missing).
    """

    name: str
    parse: Parser
    required: bool = False
    # What the documentation and the expected-columns list say the column holds.
    description: str = ""


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise FieldError(f"Te lang: {len(value)} tekens, hoogstens {max_length}.")
        return value

    return parse


def one_of(options: Mapping[str, str]) -> Parser:
    """A value from a fixed list, in any case; `options` maps what is written to what is stored."""
    lowered = {written.lower(): stored for written, stored in options.items()}

    def parse(value: str) -> str:
        stored = lowered.get(" ".join(value.lower().split()))
        if stored is None:
            raise FieldError(f"Onbekende waarde {value!r}; kies uit: {', '.join(options)}.")
        return stored

    return parse


_NUMBER_RE = re.compile(r"(?:€\s*)?(-?[0-9]+)(?:[.,]([0-9]+))?")


def amount(*, max_digits: int, decimal_places: int, unit: str = "") -> Parser:
    """A positive number with a decimal comma or point, without thousands separators."""
    unit_text = f" {unit}" if unit else ""

    def parse(value: str) -> Decimal:
        match = _NUMBER_RE.fullmatch(value)
        if match is None:
            raise FieldError(
                f"Geen getal: {value!r}; schrijf bijvoorbeeld 12,5 (zonder punt voor duizendtallen)."
            )
        whole, fraction = match.groups()
        if fraction is not None and len(fraction) > decimal_places:
            raise FieldError(
                f"{value!r} heeft te veel decimalen; hoogstens {decimal_places} na de komma."
            )
        number = Decimal(f"{whole}.{fraction or '0'}")
        if number <= 0:
            raise FieldError(f"{value}{unit_text} kan niet: het moet meer dan 0 zijn.")
        if len(whole.lstrip("-0")) > max_digits - decimal_places:
            raise FieldError(f"{value}{unit_text} is te groot.")
        return number

    return parse


_today = (-1.0, date.min)


def today() -> date:
    """Today in the project's time zone, looked up at most once a second (a million
    rows would otherwise spend seconds on the clock and the time-zone conversion)."""
    global _today
    now = time.monotonic()
    if now - _today[0] >= 1:
        _today = (now, timezone.localdate())
    return _today[1]


def past_date(value: str) -> date:
    """A date on which something happened: not in the future."""
    try:
        day = parse_date(value)
    except DateError as error:
        raise FieldError(error.message) from None
    if day > today():
        raise FieldError(f"Datum {day:%d-%m-%Y} ligt in de toekomst.")
    return day


def birth_date(value: str) -> str:
    """Stored as an ISO date, as the linkage compares it."""
    try:
        return parse_birth_date(value, today()).isoformat()
    except DateError as error:
        raise FieldError(error.message) from None


def bsn(value: str) -> str:
    digits = "".join(value.split()).replace(".", "")
    # A spreadsheet turns 012345678 into the number 12345678; the leading zero is implied.
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        digits = "0" + digits
    try:
        validate_bsn(digits)
    except ValidationError as error:
        raise FieldError(error.messages[0]) from None
    return digits


def postcode(value: str) -> str:
    try:
        return normalise_postcode("".join(value.split()))
    except ValidationError as error:
        raise FieldError(error.messages[0]) from None


# 12, 12a, 12 A, 12-2, 12/2, 12 bis, 12A-3: the number, then the addition; an addition
# of digits needs a separator, or 123456 would be number 12345 with addition 6.
_HOUSE_NUMBER_RE = re.compile(
    r"([0-9]{1,5})(?:(?:\s*[-/]\s*|\s+|(?=[A-Za-z]))"
    r"([A-Za-z0-9]{1,4}(?:\s*[- ]\s*[A-Za-z0-9]{1,4})?))?",
    re.ASCII,
)
ADDITION_MAX_LENGTH = 10


def house_number(value: str) -> tuple[int, str]:
    """The number and its addition ("12a" -> (12, "A"), "12-2" -> (12, "2"))."""
    match = _HOUSE_NUMBER_RE.fullmatch(value)
    if match is None:
        raise FieldError(
            f"Huisnummer {value!r} niet herkend; schrijf bijvoorbeeld 12, 12a, 12-2 of 12 A."
        )
    number, addition = match.groups()
    if int(number) == 0:
        raise FieldError("Een huisnummer is 1 of hoger.")
    return int(number), _addition(addition or "")


def addition(value: str) -> str:
    if len(value) > ADDITION_MAX_LENGTH:
        raise FieldError(f"Te lang: {len(value)} tekens, hoogstens {ADDITION_MAX_LENGTH}.")
    return _addition(value)


def _addition(value: str) -> str:
    return "-".join(value.upper().replace("-", " ").split())


KEY_MAX_LENGTH = 64

IDENTITY_COLUMNS: tuple[Column, ...] = (
    Column(KEY, text(KEY_MAX_LENGTH), required=True, description="het eigen kenmerk"),
    Column("bsn", bsn, description="BSN, als de partner het heeft"),
    Column("achternaam", text(200), required=True, description="achternaam"),
    Column("voorvoegsel", text(20), description="voorvoegsel (van, de, van der)"),
    Column("voornamen", text(200), description="voornamen of voorletters"),
    Column("geboortedatum", birth_date, description="geboortedatum"),
    Column("straat", text(200), description="straatnaam"),
    Column("huisnummer", house_number, description="huisnummer, met letter of toevoeging"),
    Column("toevoeging", addition, description="huisletter of toevoeging"),
    Column("postcode", postcode, description="postcode"),
    Column("woonplaats", text(200), description="woonplaats"),
)


def identity_problems(values: Values) -> list[tuple[str, str]]:
    """Rules across the identity columns: the record must be linkable to a person."""
    problems: list[tuple[str, str]] = []
    number = values.get("huisnummer")
    addition_column = values.get("toevoeging")
    if number is not None and number[1] and addition_column and number[1] != addition_column:
        problems.append(
            (
                "toevoeging",
                f"Toevoeging {addition_column!r} verschilt van die in het huisnummer "
                f"({number[1]!r}); geef de toevoeging op één plek.",
            )
        )
    has_address = values.get("postcode") is not None and number is not None
    if not (values.get("bsn") or values.get("geboortedatum") or has_address):
        problems.append(
            (
                "geboortedatum",
                "Geef een geboortedatum of postcode met huisnummer (of het BSN): anders is "
                "de regel aan niemand te koppelen.",
            )
        )
    return problems


def identity_fields(values: Values) -> dict[str, Any]:
    """The PartnerRecord fields of a valid row (without source and reference)."""
    number = values.get("huisnummer")
    return {
        "bsn": values.get("bsn") or "",
        "surname": values["achternaam"],
        "surname_prefix": values.get("voorvoegsel") or "",
        "given_names": values.get("voornamen") or "",
        "birth_date": values.get("geboortedatum") or "",
        "street": values.get("straat") or "",
        "house_number": number[0] if number else None,
        "house_number_addition": (number[1] if number else "") or values.get("toevoeging") or "",
        "postcode": values.get("postcode") or "",
        "city": values.get("woonplaats") or "",
    }
