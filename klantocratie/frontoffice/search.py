"""Reading the desk's one search box: which identifier did the agent type?

parse_query() turns free text into one ClientQuery, or raises QueryError with a Dutch
message that says what was recognised and what is missing. It touches no data: the
criteria it builds are handed to the privacy gate (attribute searches) or the party
register (identifiers) by the selectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone

from klantocratie.parties.validators import normalise_postcode, validate_bsn, validate_kvk_number


class QueryError(ValueError):
    """The search text is not a usable search; the message tells the agent why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QueryKind(StrEnum):
    BSN = "bsn"
    KVK = "kvk"
    NAME_BIRTH = "naam_geboortedatum"
    ADDRESS = "postcode_huisnummer"
    PHONE = "telefoon"
    EMAIL = "email"
    CONTACT = "contactnummer"
    CASE = "zaaknummer"


KIND_LABELS = {
    QueryKind.BSN: "BSN",
    QueryKind.KVK: "KvK-nummer",
    QueryKind.NAME_BIRTH: "naam en geboortedatum",
    QueryKind.ADDRESS: "postcode en huisnummer",
    QueryKind.PHONE: "telefoonnummer",
    QueryKind.EMAIL: "e-mailadres",
    QueryKind.CONTACT: "contactnummer",
    QueryKind.CASE: "zaaknummer",
}


@dataclass(frozen=True)
class ClientQuery:
    kind: QueryKind
    # The normalised identifier for BSN, KvK, contact and case numbers; a readable
    # summary of the criteria otherwise.
    value: str
    # Criteria for gate.find, keyed by the element each belongs to (attribute searches).
    criteria: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


HELP = (
    "Zoek op BSN, KvK-nummer, naam met geboortedatum, postcode met huisnummer, "
    "telefoonnummer, e-mailadres, contactnummer (KC-…) of zaaknummer."
)

_CONTACT_RE = re.compile(r"KC-?[0-9A-Z][0-9A-Z-]*", re.IGNORECASE)
# Case numbers of the region's case systems: prefix, year, sequence ("UWV-2026-000123").
_CASE_RE = re.compile(r"[A-Z]{2,5}-[0-9]{4}-[0-9]{1,10}", re.IGNORECASE)
_NUMBER_RE = re.compile(r"\+?[0-9][0-9 .\-/()]*")
_POSTCODE_START_RE = re.compile(r"([0-9]{4})\s?([A-Z]{2})(?![A-Z])(.*)", re.IGNORECASE)
_HOUSE_NUMBER_RE = re.compile(
    r"[\s,]*(?:nr\.?\s*)?([0-9]{1,5})\s*([A-Z](?![A-Z0-9]))?\s*(?:[-/ ]\s*([A-Z0-9]{1,4}))?\s*",
    re.IGNORECASE,
)
_DATE_RES = (
    # 19-05-1971, 19/5/1971, 19.05.1971
    (re.compile(r"(?<![0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?![0-9])"), "dmy"),
    # 1971-05-19
    (re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])"), "ymd"),
    # 19051971
    (re.compile(r"(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{4})(?![0-9])"), "dmy"),
)
_NAME_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_validate_email = EmailValidator(allowlist=[])


def parse_query(text: str) -> ClientQuery:
    """The one identifier in the search text, normalised, or a QueryError."""
    query = " ".join((text or "").split())
    if not query:
        raise QueryError(f"Vul een zoekgegeven in. {HELP}")
    if len(query) > 120:
        raise QueryError("De zoekvraag is te lang; zoek op één gegeven tegelijk.")
    if _CONTACT_RE.fullmatch(query):
        number = query.upper()
        if not number.startswith("KC-"):
            number = "KC-" + number[2:]
        return ClientQuery(QueryKind.CONTACT, number)
    if _CASE_RE.fullmatch(query):
        number = query.upper()
        return ClientQuery(QueryKind.CASE, number, {"cases.open": {"zaaknummer": number}})
    if "@" in query:
        return _email(query)
    if _NUMBER_RE.fullmatch(query) and not _looks_like_date(query):
        return _number(query)
    postcode = _POSTCODE_START_RE.match(query)
    if postcode is not None:
        return _address(*postcode.groups())
    return _name_and_birth_date(query)


def _email(query: str) -> ClientQuery:
    if " " in query:
        raise QueryError(
            "Deze zoekvraag is niet eenduidig: zoek op het e-mailadres alleen, zonder andere "
            "woorden."
        )
    try:
        _validate_email(query)
    except ValidationError:
        raise QueryError(
            "Dit e-mailadres is niet geldig. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
        ) from None
    return ClientQuery(QueryKind.EMAIL, query.lower(), {"person.email": query.lower()})


def _looks_like_date(query: str) -> bool:
    return any(pattern.fullmatch(query) for pattern, _order in _DATE_RES[:2])


def _number(query: str) -> ClientQuery:
    digits = re.sub(r"[^0-9]", "", query)
    # 0031… is the international form only when longer than a BSN or national number.
    international = query.startswith("+") or (digits.startswith("0031") and len(digits) > 10)
    if international:
        national = digits[4:] if digits.startswith("0031") else digits[2:]
        if not query.lstrip("+").startswith("31") and not digits.startswith("0031"):
            raise QueryError(
                "Alleen Nederlandse telefoonnummers zijn te zoeken (+31 of 0 gevolgd door "
                "9 cijfers)."
            )
        return _phone("0" + national)
    if len(digits) == 10 and digits.startswith("0"):
        return _phone(digits)
    if len(digits) == 9:
        try:
            validate_bsn(digits)
        except ValidationError as error:
            raise QueryError(f"{error.messages[0]} Controleer het nummer.") from None
        return ClientQuery(QueryKind.BSN, digits)
    if len(digits) == 8:
        try:
            validate_kvk_number(digits)
        except ValidationError as error:
            raise QueryError(error.messages[0]) from None
        return ClientQuery(QueryKind.KVK, digits)
    raise QueryError(
        f"Een nummer van {len(digits)} cijfers herken ik niet: een BSN heeft 9 cijfers, een "
        "KvK-nummer 8 en een telefoonnummer 10 (beginnend met 0)."
    )


def _phone(national: str) -> ClientQuery:
    if not re.fullmatch(r"0[1-9][0-9]{8}", national):
        raise QueryError(
            "Dit is geen geldig Nederlands telefoonnummer: 10 cijfers die met 0 beginnen, "
            "zoals 06 12345678."
        )
    return ClientQuery(QueryKind.PHONE, national, {"person.phone": national})


def _address(digits: str, letters: str, rest: str) -> ClientQuery:
    try:
        postcode = normalise_postcode(f"{digits}{letters}")
    except ValidationError as error:
        raise QueryError(error.messages[0]) from None
    if not rest.strip():
        raise QueryError(
            f"Geef bij postcode {postcode[:4]} {postcode[4:]} ook het huisnummer, zoals "
            f"{postcode[:4]} {postcode[4:]} 12."
        )
    number = _HOUSE_NUMBER_RE.fullmatch(rest)
    if number is None:
        if _find_date(rest) is not None:
            raise QueryError(
                "Deze zoekvraag is niet eenduidig: er staan een postcode en een datum in. "
                "Zoek op postcode en huisnummer, of op naam en geboortedatum."
            )
        raise QueryError(
            "Na de postcode verwacht ik een huisnummer, eventueel met huisletter of "
            "toevoeging, zoals 7607 AB 12A of 7607 AB 12-3."
        )
    house_number, letter, addition = number.groups()
    if int(house_number) == 0:
        raise QueryError("Een huisnummer is 1 of hoger.")
    criterion = {
        "postcode": postcode,
        "huisnummer": int(house_number),
        "huisletter": (letter or "").upper(),
        "toevoeging": (addition or "").upper(),
    }
    summary = f"{postcode[:4]} {postcode[4:]} {int(house_number)}{criterion['huisletter']}"
    if criterion["toevoeging"]:
        summary += f"-{criterion['toevoeging']}"
    return ClientQuery(QueryKind.ADDRESS, summary, {"person.address": criterion})


def _find_date(text: str) -> tuple[re.Match[str], date | None] | None:
    """The first date-like part of the text, with the date it means (None: impossible)."""
    for pattern, order in _DATE_RES:
        match = pattern.search(text)
        if match is None:
            continue
        first, second, third = (int(part) for part in match.groups())
        year, month, day = (third, second, first) if order == "dmy" else (first, second, third)
        try:
            return match, date(year, month, day)
        except ValueError:
            return match, None
    return None


def _name_and_birth_date(query: str) -> ClientQuery:
    found = _find_date(query)
    rest = query
    birth: date | None = None
    if found is not None:
        match, birth = found
        if birth is None:
            raise QueryError(f"{match.group(0)} is geen bestaande datum. Gebruik dd-mm-jjjj.")
        if birth > timezone.localdate() or birth.year < 1880:
            raise QueryError(
                f"{birth:%d-%m-%Y} kan geen geboortedatum zijn van iemand die nu leeft."
            )
        rest = (query[: match.start()] + " " + query[match.end() :]).strip()
        if _find_date(rest) is not None:
            raise QueryError(
                "Deze zoekvraag is niet eenduidig: er staan twee datums in. Geef één geboortedatum."
            )
    if re.search(r"[0-9]", rest):
        raise QueryError(
            "Deze zoekvraag is niet eenduidig: naast de naam staan er cijfers in die geen "
            f"geboortedatum zijn. {HELP}"
        )
    words = _NAME_WORD_RE.findall(rest)
    if not words:
        if birth is not None:
            raise QueryError(
                f"Geef bij geboortedatum {birth:%d-%m-%Y} ook (een deel van) de naam, zoals "
                f"ter Horst {birth:%d-%m-%Y}."
            )
        raise QueryError(f"Ik herken deze zoekvraag niet. {HELP}")
    name = " ".join(words)
    if birth is None:
        raise QueryError(
            f"Geef bij de naam ook de geboortedatum, zoals {name} 19-05-1971. Een naam "
            "alleen is niet genoeg om iemand met zekerheid te vinden."
        )
    return ClientQuery(
        QueryKind.NAME_BIRTH,
        f"{name}, geboren {birth:%d-%m-%Y}",
        {"person.name": name.lower(), "person.birth": birth.isoformat()},
    )
