"""Validators for Dutch identifiers. Each raises ValidationError naming what is wrong.

They are plain functions so forms, serializers, pack loaders and importers share them.
"""

import re

from django.core.exceptions import ValidationError

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# str.isdigit() also accepts superscripts and other scripts' digits, which int() refuses.
_ASCII_DIGITS_RE = re.compile(r"[0-9]+")
_POSTCODE_RE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
# PostNL never issues these letter combinations.
_FORBIDDEN_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})


def passes_eleven_test(number: str) -> bool:
    """The 'elfproef' of BSN and RSIN: weighted sum 9..2 minus the last digit, mod 11."""
    if len(number) != 9 or not _is_digits(number):
        return False
    total = sum(int(d) * w for d, w in zip(number, _BSN_WEIGHTS, strict=True))
    return total % 11 == 0 and number != "000000000"


def _is_digits(value: object) -> bool:
    return isinstance(value, str) and _ASCII_DIGITS_RE.fullmatch(value) is not None


def validate_bsn(value: str) -> None:
    if not _is_digits(value):
        raise ValidationError("Een BSN bestaat alleen uit cijfers.", code="bsn_not_digits")
    if len(value) != 9:
        raise ValidationError(
            "Een BSN heeft 9 cijfers (%(length)s gegeven).",
            code="bsn_length",
            params={"length": len(value)},
        )
    if not passes_eleven_test(value):
        raise ValidationError("Dit BSN voldoet niet aan de elfproef.", code="bsn_eleven_test")


def validate_rsin(value: str) -> None:
    if not _is_digits(value) or len(value) != 9:
        raise ValidationError("Een RSIN heeft precies 9 cijfers.", code="rsin_format")
    if not passes_eleven_test(value):
        raise ValidationError("Dit RSIN voldoet niet aan de elfproef.", code="rsin_eleven_test")


def validate_kvk_number(value: str) -> None:
    # KvK numbers issued since 2016 carry no check digit, so the format is all we can test.
    if not _is_digits(value) or len(value) != 8:
        raise ValidationError("Een KvK-nummer heeft precies 8 cijfers.", code="kvk_format")


def validate_establishment_number(value: str) -> None:
    if not _is_digits(value) or len(value) != 12:
        raise ValidationError(
            "Een vestigingsnummer heeft precies 12 cijfers.", code="establishment_format"
        )
    if value == "0" * 12:
        raise ValidationError("Een vestigingsnummer mag niet nul zijn.", code="establishment_zero")


def normalise_postcode(value: str) -> str:
    """Return the postcode as '1234AB', or raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError("Een postcode is tekst, zoals 7607 AB.", code="postcode_format")
    match = _POSTCODE_RE.fullmatch(value.strip().upper())
    if not match:
        raise ValidationError(
            "Een postcode is 4 cijfers (niet beginnend met 0) en 2 letters, zoals 7607 AB.",
            code="postcode_format",
        )
    digits, letters = match.groups()
    if letters in _FORBIDDEN_POSTCODE_LETTERS:
        raise ValidationError(
            "Postcodes met de letters %(letters)s bestaan niet.",
            code="postcode_letters",
            params={"letters": letters},
        )
    return digits + letters


def validate_postcode(value: str) -> None:
    normalise_postcode(value)
