"""Dates as partners write them, read in Dutch order (day before month).

Spreadsheets and partner systems export the same date as 2024-03-05, 05-03-2024,
5-3-2024, 05/03/2024, 05.03.2024 or 20240305. An American month-first date cannot be
told apart from a Dutch one, so day-first is the only order read; eight digits in a row
are year, month, day (the form systems export, never DDMMYYYY).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

# Years outside this range are typing errors in a partner's file, not dates.
EARLIEST_YEAR = 1800
LATEST_YEAR = 2999

_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# The same separator twice: 05-03/2024 is a typing error, not a date.
_DAY_FIRST_RE = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")
_COMPACT_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
EXAMPLES = "05-03-2024, 5-3-2024, 05/03/2024, 05.03.2024, 2024-03-05 of 20240305"


class DateError(ValueError):
    """The text is no date; the message says why, in Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_date(text: str) -> date:
    """The date the text means, or a DateError naming what is wrong."""
    value = text.strip()
    if not value:
        raise DateError("Geen datum ingevuld.")
    if len(value) > 20:
        raise DateError(f"Dit is geen datum; schrijf bijvoorbeeld {EXAMPLES}.")
    parts = _parts(value)
    if parts is None:
        raise DateError(f"Datum {value!r} niet herkend; schrijf bijvoorbeeld {EXAMPLES}.")
    year, month, day = parts
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateError(
            f"Datum {value!r}: jaartal {year} kan niet kloppen "
            f"(verwacht tussen {EARLIEST_YEAR} en {LATEST_YEAR})."
        )
    if not 1 <= month <= 12:
        raise DateError(f"Datum {value!r}: maand {month} bestaat niet.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(
            f"Datum {value!r} bestaat niet: {_MONTHS[month - 1]} {year} heeft {days} dagen."
        )
    return date(year, month, day)


def parse_birth_date(text: str, today: date) -> date:
    """A birth date: a date that is not after today."""
    born = parse_date(text)
    if born > today:
        raise DateError(f"Geboortedatum {born:%d-%m-%Y} ligt in de toekomst.")
    return born


def _parts(value: str) -> tuple[int, int, int] | None:
    if match := _ISO_RE.fullmatch(value):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    if match := _DAY_FIRST_RE.fullmatch(value):
        day, _separator, month, year = match.groups()
        return int(year), int(month), int(day)
    if match := _COMPACT_RE.fullmatch(value):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    return None
