"""What a form field is, which source values a form may pre-fill from, and how they show.

A *known* field names a data element and a path into the value its connector returns
(`person.address` -> `postcode`). Only the elements below can pre-fill a form: their
value shapes are the connectors' contract (the local registries and the Haal Centraal
BRP connector return the same keys), so the loader can refuse a path that does not
exist instead of the form silently asking for it later. Lists (income per year,
benefits) are left out: which entry a form means would be a policy decision in code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# Elements whose value is a record: the keys a path may name.
RECORD_KEYS: dict[str, frozenset[str]] = {
    "person.name": frozenset({"voornamen", "voorvoegsel", "geslachtsnaam", "volledige_naam"}),
    "person.birth": frozenset({"geboortedatum", "geboorteplaats"}),
    "person.address": frozenset(
        {
            "straat",
            "huisnummer",
            "huisletter",
            "huisnummertoevoeging",
            "postcode",
            "woonplaats",
            "buurtcode",
            "sinds",
        }
    ),
    "person.household": frozenset({"aantal_personen", "sinds"}),
    "business.registration": frozenset(
        {
            "handelsnaam",
            "kvk_nummer",
            "rsin",
            "rechtsvorm",
            "sbi_code",
            "sbi_omschrijving",
            "adres",
            "thuisgevestigd",
            "inschrijfdatum",
        }
    ),
    "tenancy.contract": frozenset({"adres", "ingangsdatum", "kale_huur"}),
}
# Elements whose value is one text: no path.
SCALAR_ELEMENTS = frozenset(
    {
        "person.gender",
        "person.phone",
        "person.email",
        "person.correspondence_preference",
        "person.iban_municipal_taxes",
    }
)
# Keys holding an ISO date: shown as dd-mm-jjjj, and the only ones "leeftijd" accepts.
DATE_KEYS = frozenset(
    {
        ("person.birth", "geboortedatum"),
        ("person.address", "sinds"),
        ("person.household", "sinds"),
        ("business.registration", "inschrijfdatum"),
        ("tenancy.contract", "ingangsdatum"),
    }
)
POSTCODE_KEYS = frozenset({("person.address", "postcode")})

# Conversions a form may apply to a known value (`as:`), a closed list.
AS_ADDRESS = "adres"  # a whole person.address as one line
AS_AGE = "leeftijd"  # whole years since a date, today
CONVERSIONS = frozenset({AS_ADDRESS, AS_AGE})

# Where a field's value goes in the case.
TO_PROPERTY = "property"
TO_DESCRIPTION = "description"
TO_EXPLANATION = "explanation"

DESCRIPTION_MAX = 80  # the case description's own limit (start_case)
TEXT_MAX = 2000  # a case property's text limit (check_value)


@dataclass(frozen=True)
class FormField:
    """One field of a loaded form (the plain dict in RequestForm.fields, typed)."""

    code: str
    label: str
    help: str
    required: bool
    to: str  # TO_PROPERTY, TO_DESCRIPTION or TO_EXPLANATION
    case_property: str = ""  # the property's code, when `to` is TO_PROPERTY
    element: str = ""  # set for a known field
    party_type: str = ""  # the element's: a known field applies to subjects of this type
    path: str = ""
    convert: str = ""

    @property
    def is_known(self) -> bool:
        return bool(self.element)

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> FormField:
        return cls(**data)


def format_postcode(postcode: str) -> str:
    """'7607AB' -> '7607 AB'."""
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def age_on(birth: dt.date, today: dt.date) -> int:
    before_birthday = (today.month, today.day) < (birth.month, birth.day)
    return today.year - birth.year - int(before_birthday)


def address_line(value: Any) -> str:
    """'Grotestraat 12A-2, 7607 AB Almelo' from a person.address value."""
    if not isinstance(value, dict):
        return ""
    number = f"{value.get('huisnummer') or ''}{value.get('huisletter') or ''}"
    if value.get("huisnummertoevoeging"):
        number += f"-{value['huisnummertoevoeging']}"
    street = f"{value.get('straat') or ''} {number}".strip()
    place = f"{format_postcode(value.get('postcode') or '')} {value.get('woonplaats') or ''}"
    return ", ".join(part for part in (street, place.strip()) if part)


def extract(field: FormField, value: Any, today: dt.date) -> Any:
    """The field's value from an element's value, or None when the source has none."""
    if field.convert == AS_ADDRESS:
        return address_line(value) or None
    if field.path:
        value = value.get(field.path) if isinstance(value, dict) else None
    if value is None or value == "":
        return None
    if field.convert == AS_AGE:
        try:
            return age_on(dt.date.fromisoformat(str(value)), today)
        except ValueError:
            return None
    return value


def display(field: FormField, value: Any) -> str:
    """A known value as the resident reads it."""
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if (field.element, field.path) in DATE_KEYS and not field.convert:
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        except ValueError:
            return str(value)
    if (field.element, field.path) in POSTCODE_KEYS:
        return format_postcode(str(value))
    if field.convert == AS_AGE:
        return f"{value} jaar"
    return str(value)
