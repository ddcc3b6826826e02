"""Turn partner records and register persons into the columns the comparisons read.

Both sides arrive in one standard shape (`STANDARD_COLUMNS`): a partner's file and the
persons from the population register. Partners write the same person in many ways:
"Van der Berg", "Berg, van der" or "Berg" with the voorvoegsel in its own field,
"J.P." for "Johannes Petrus", "7607 ab" for "7607AB", "12a" or "12-2" for a house
number with its addition, "3-7-1970" for "1970-07-03". The parsers below reduce each
value to one canonical form, so that equal things compare equal and the remaining
differences are the ones the model should weigh.

Every parser takes any value (a string, a number, None, rubbish) and never raises;
feeding its own output back in gives the same output. `normalise_records` applies them
to a whole table: each parser runs once per distinct value (a million rows hold far
fewer distinct surnames, dates or postcodes), the results are spread back to the rows
with array indexing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STANDARD_COLUMNS = (
    "unique_id",
    "surname",
    "surname_prefix",
    "given_names",
    "birth_date",
    "postcode",
    "house_number",
    "house_number_addition",
    "street",
    "city",
)

# Voorvoegsels as the register writes them (lower case, one space between words), and
# the abbreviations partners use for the common ones. The parser takes the longest one
# that starts a name, so "van der" wins over "van".
PREFIXES = frozenset(
    {
        "van",
        "van der",
        "van den",
        "van de",
        "van het",
        "van 't",
        "van t",
        "vander",
        "vanden",
        "vande",
        "v",
        "vd",
        "v d",
        "de",
        "den",
        "der",
        "des",
        "het",
        "'t",
        "t",
        "'s",
        "s",
        "ter",
        "ten",
        "te",
        "in",
        "in 't",
        "in t",
        "in de",
        "in den",
        "in het",
        "op",
        "op de",
        "op den",
        "op het",
        "op 't",
        "op t",
        "op ten",
        "uit",
        "uit de",
        "uit den",
        "uit het",
        "uit 't",
        "uit t",
        "uijt",
        "uijt te de",
        "aan",
        "aan de",
        "aan den",
        "aan het",
        "bij",
        "bij de",
        "onder",
        "onder de",
        "over",
        "over de",
        "over 't",
        "over t",
        "voor",
        "voor de",
        "voor den",
        "voor in 't",
        "voor in t",
        "tot",
        "von",
        "von der",
        "von dem",
        "von den",
        "vom",
        "zu",
        "zur",
        "la",
        "le",
        "les",
        "l'",
        "l",
        "d'",
        "d",
        "du",
        "de la",
        "de las",
        "de los",
        "del",
        "della",
        "di",
        "da",
        "das",
        "do",
        "dos",
        "el",
        "al",
        "lo",
        "los",
        "las",
        "mac",
    }
)
_LONGEST_PREFIX = max(len(p.split()) for p in PREFIXES)

# Letters that Unicode decomposition leaves alone but a Dutch clerk writes plainly.
_PLAIN = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "\u0131": "i",  # dotless i
        "ŀ": "l",
        "Ŀ": "L",
        # Curly quotes, accents and long dashes, as word processors write them.
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_VOWELS = frozenset("aeiouy")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not one missing value
        return False


def _text(value: Any) -> str:
    """Any value as text; a float that holds a whole number (pandas turns an integer
    column with gaps into floats) without its ".0"."""
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fold(value: Any) -> str:
    """Lower case ASCII: diacritics stripped (ü→u, é→e, ø→o, ß→ss), anything else kept."""
    text = _text(value)
    if text.isascii():  # most values: nothing to strip
        return text.lower()
    text = text.translate(_PLAIN)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_PLAIN).lower().encode("ascii", "ignore").decode()


@dataclass(frozen=True)
class Surname:
    surname: str | None  # without voorvoegsel: "berg", "jansen-berg"
    prefix: str | None  # the voorvoegsel: "van der"
    full: str | None  # voorvoegsel and surname as one run of letters: "vanderberg"


def _words(text: str) -> list[str]:
    # Digits stay: no real surname has them, but a placeholder name ("Digid 1 100600116
    # geslachtsnaam") is told apart by nothing else.
    return re.sub(r"[^a-z0-9' ]+", " ", text).split()


def _split_prefix(words: list[str], keep_one: bool) -> tuple[list[str], list[str]]:
    """The longest voorvoegsel at the start of `words`, and the rest; with `keep_one`
    at least one word stays behind (a surname is never only a voorvoegsel)."""
    limit = min(_LONGEST_PREFIX, len(words) - 1 if keep_one else len(words))
    for size in range(limit, 0, -1):
        if " ".join(words[:size]) in PREFIXES:
            return words[:size], words[size:]
    return [], words


def _letters(words: list[str]) -> str:
    return "".join(words).replace("'", "")


def parse_surname(surname: Any, prefix: Any = None) -> Surname:
    """Split a surname into its voorvoegsel and the rest, however the partner wrote it.

    "Van der Berg", "Berg, van der", "vanderBerg" and ("Berg", "van der") all give
    surname "berg" and voorvoegsel "van der". A double surname keeps its parts
    ("Jansen-van der Berg" gives "jansen-berg"): a voorvoegsel inside a later part is
    dropped, as partners drop it most often there.
    """
    given_prefix = fold(prefix)
    main = fold(_CAMEL.sub(" ", _text(surname)))
    if "," in main:
        before, _, after = main.partition(",")
        after_words = _words(after)
        # "Berg, van der": what follows the comma is the voorvoegsel. Anything else
        # after a comma (initials, a title) is not part of the surname.
        main = " ".join([*after_words, before]) if " ".join(after_words) in PREFIXES else before
    # "v.d. Berg" is "v d berg"; "d'Ancona" is "d' ancona".
    text = re.sub(r"\b([dl])'(?=[a-z])", r"\1' ", f"{given_prefix} {main}".replace(".", " "))
    parts = [_words(part) for part in text.split("-")]
    parts = [part for part in parts if part]
    if not parts:
        return Surname(None, None, None)
    prefix_words, first = _split_prefix(parts[0], keep_one=len(parts) == 1)
    rest = [_split_prefix(part, keep_one=True)[1] for part in parts[1:]]
    kept = [words for words in [first, *rest] if _letters(words)]
    if not kept:
        return Surname(None, None, None)
    name = "-".join(_letters(words) for words in kept)
    prefix_text = " ".join(prefix_words) or None
    return Surname(name, prefix_text, _letters(prefix_words) + name.replace("-", ""))


@dataclass(frozen=True)
class GivenNames:
    first: str | None  # the first given name written in full: "johannes"
    initials: str | None  # one letter per given name: "jp"


def parse_given_names(value: Any) -> GivenNames:
    """The first given name (when written in full) and the initials of all of them.

    "Johannes Petrus" gives ("johannes", "jp"); "J.P.", "J. P." and "JP" give
    (None, "jp"): a word ending in a dot, a single letter or a short word without a
    vowel is read as initials.
    """
    text = _text(value).replace(".", ". ")
    first: str | None = None
    initials = []
    for token in text.replace(",", " ").split():
        word = re.sub(r"[^a-z-]+", "", fold(token)).strip("-")
        if not word:
            continue
        abbreviated = token.endswith(".")
        letters_only = word.replace("-", "")
        if abbreviated or len(letters_only) == 1:
            initials.append(letters_only[0])
        elif len(letters_only) <= 3 and not _VOWELS & set(letters_only):
            initials.extend(letters_only)
        else:
            if not initials:
                first = word
            initials.append(letters_only[0])
    return GivenNames(first, "".join(initials) or None)


@dataclass(frozen=True)
class BirthDate:
    iso: str | None  # "1970-07-03", only when year, month and day are all known
    year: int | None
    month: int | None
    day: int | None


_ISO = re.compile(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})")
_DUTCH = re.compile(r"(\d{1,2})\D+(\d{1,2})\D+(\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_birth_date(value: Any) -> BirthDate:
    """A birth date as year, month and day, each unknown when it cannot be read.

    Reads "1970-07-03", "19700703", "3-7-1970", "03/07/1970" and datetime values. A
    register date with unknown parts ("1970-00-00") keeps its year. When the month is
    impossible but the day could be a month ("1970-25-03"), they were written the
    other way round and are read so.
    """
    text = _text(value).strip()
    found = _ISO.search(text) or _COMPACT.fullmatch(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
    elif match := _DUTCH.search(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return BirthDate(None, None, None, None)
    if not 1800 <= year <= 2200:
        return BirthDate(None, None, None, None)
    if month > 12 and 1 <= day <= 12:
        month, day = day, month
    known_month = month if 1 <= month <= 12 else None
    known_day = day if known_month and 1 <= day <= 31 else None
    iso = f"{year:04d}-{known_month:02d}-{known_day:02d}" if known_month and known_day else None
    return BirthDate(iso, year, known_month, known_day)


def normalise_postcode(value: Any) -> str | None:
    """Upper case without spaces or punctuation: "7607 ab" gives "7607AB"."""
    cleaned = re.sub(r"[^A-Z0-9]+", "", fold(value).upper())
    return cleaned or None


def postcode_digits(postcode: str | None) -> str | None:
    """The four digits of a Dutch postcode (its neighbourhood), when it starts with them."""
    if postcode and len(postcode) >= 4 and postcode[:4].isdigit():
        return postcode[:4]
    return None


@dataclass(frozen=True)
class HouseNumber:
    number: int | None
    addition: str | None  # letters and digits after the number, lower case: "a", "2", "bis"


_NUMBER = re.compile(r"\D*?(\d+)(.*)", re.DOTALL)
# The highest house number in the Netherlands has five digits.
MAX_HOUSE_NUMBER = 99_999


def _addition(value: str) -> str | None:
    return re.sub(r"[^a-z0-9]+", "", fold(value)) or None


def parse_house_number(number: Any, addition: Any = None) -> HouseNumber:
    """A house number and its addition, also when both were written in one field.

    "12a", "12 A", "12-a" give (12, "a"); "12-2" gives (12, "2"); "12 bis" gives
    (12, "bis"). An addition in its own field wins over one written after the number.
    """
    match = _NUMBER.match(fold(number))
    if not match or not 0 < int(match.group(1)) <= MAX_HOUSE_NUMBER:
        return HouseNumber(None, None)
    digits, remainder = int(match.group(1)), match.group(2)
    return HouseNumber(digits, _addition(_text(addition)) or _addition(remainder))


def normalise_street(value: Any) -> str | None:
    """Letters and digits of a street name; a trailing "str" is written out as "straat"."""
    cleaned = re.sub(r"[^a-z0-9]+", "", fold(value))
    if cleaned.endswith("str"):
        cleaned += "aat"
    return cleaned or None


# The columns `normalise_records` produces: what the comparisons and blocking read.
NORMALISED_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("surname", pa.string()),
        ("surname_prefix", pa.string()),
        ("surname_full", pa.string()),
        ("first_name", pa.string()),
        ("initials", pa.string()),
        ("birth_date", pa.string()),
        ("birth_year", pa.int32()),
        ("birth_month", pa.int32()),
        ("birth_day", pa.int32()),
        ("postcode", pa.string()),
        ("pc4", pa.string()),
        ("house_number", pa.int32()),
        ("house_number_addition", pa.string()),
        ("street", pa.string()),
        ("previous_postcodes", pa.list_(pa.string())),
        ("postcode_history", pa.list_(pa.string())),
    ]
)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _per_distinct(
    columns: Sequence[pd.Series], parse: Callable[..., Any], fields: Sequence[str]
) -> dict[str, np.ndarray]:
    """Run `parse` once per distinct combination of the columns' values and spread
    each result field back to every row."""
    values = [column.astype(object).to_numpy() for column in columns]
    codes = np.zeros(len(values[0]), dtype=np.int64)
    for column in values:
        column_codes, distinct = pd.factorize(column, use_na_sentinel=False)
        codes = codes * len(distinct) + column_codes
        codes, _ = pd.factorize(codes)
    _, first_rows = np.unique(codes, return_index=True)
    results = [parse(*(column[row] for column in values)) for row in first_rows]
    return {
        field: np.array([getattr(result, field) for result in results], dtype=object)[codes]
        for field in fields
    }


def _int_array(values: np.ndarray) -> pa.Array:
    return pa.array(pd.array(values, dtype="Int32"), type=pa.int32())


def _list_array(parents: np.ndarray, values: np.ndarray, rows: int) -> pa.ListArray:
    """Lists of `values`, each value going to the row in `parents` (sorted by row)."""
    offsets = np.concatenate([[0], np.cumsum(np.bincount(parents, minlength=rows))])
    return pa.ListArray.from_arrays(
        pa.array(offsets.astype(np.int32)), pa.array(list(values), type=pa.string())
    )


def _postcode_lists(frame: pd.DataFrame, postcodes: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Each person's earlier postcodes, normalised (an empty list when there are none),
    and every postcode they are known at, the current one first."""
    rows = len(frame)
    lists = pa.array(
        _column(frame, "previous_postcodes"), type=pa.list_(pa.string()), from_pandas=True
    )
    parents = pc.list_parent_indices(lists).to_numpy()
    earlier = _per_distinct(
        [pd.Series(pc.list_flatten(lists).to_pandas())], _PostcodeResult.of, ["value"]
    )["value"]
    kept = np.array([value is not None for value in earlier], dtype=bool)
    parents, earlier = parents[kept], earlier[kept]
    current_rows = np.flatnonzero(np.array([value is not None for value in postcodes]))
    order = np.argsort(np.concatenate([current_rows, parents]), kind="stable")
    history_parents = np.concatenate([current_rows, parents])[order]
    history = np.concatenate([postcodes[current_rows], earlier])[order]
    return _list_array(parents, earlier, rows), _list_array(history_parents, history, rows)


@dataclass(frozen=True)
class _PostcodeResult:
    value: str | None
    pc4: str | None

    @classmethod
    def of(cls, raw: Any) -> _PostcodeResult:
        postcode = normalise_postcode(raw)
        return cls(postcode, postcode_digits(postcode))


@dataclass(frozen=True)
class _StreetResult:
    value: str | None

    @classmethod
    def of(cls, raw: Any) -> _StreetResult:
        return cls(normalise_street(raw))


def _as_frame(records: pa.Table | pd.DataFrame) -> pd.DataFrame:
    if isinstance(records, pa.Table):
        return records.to_pandas()
    return records.reset_index(drop=True)


def normalise_records(records: pa.Table | pd.DataFrame) -> pa.Table:
    """The standard shape (see the module) in, `NORMALISED_SCHEMA` out, row for row.

    Missing optional columns count as empty; `previous_postcodes` becomes an empty
    list on the partner side, so both sides have the same columns, as Splink needs.
    """
    frame = _as_frame(records)
    surname = _per_distinct(
        [_column(frame, "surname"), _column(frame, "surname_prefix")],
        parse_surname,
        ["surname", "prefix", "full"],
    )
    given = _per_distinct([_column(frame, "given_names")], parse_given_names, ["first", "initials"])
    born = _per_distinct(
        [_column(frame, "birth_date")], parse_birth_date, ["iso", "year", "month", "day"]
    )
    postcode = _per_distinct([_column(frame, "postcode")], _PostcodeResult.of, ["value", "pc4"])
    house = _per_distinct(
        [_column(frame, "house_number"), _column(frame, "house_number_addition")],
        parse_house_number,
        ["number", "addition"],
    )
    street = _per_distinct([_column(frame, "street")], _StreetResult.of, ["value"])
    previous, history = _postcode_lists(frame, postcode["value"])
    columns = {
        "unique_id": pa.array(_column(frame, "unique_id").astype(str).to_numpy(), pa.string()),
        "surname": pa.array(surname["surname"], pa.string()),
        "surname_prefix": pa.array(surname["prefix"], pa.string()),
        "surname_full": pa.array(surname["full"], pa.string()),
        "first_name": pa.array(given["first"], pa.string()),
        "initials": pa.array(given["initials"], pa.string()),
        "birth_date": pa.array(born["iso"], pa.string()),
        "birth_year": _int_array(born["year"]),
        "birth_month": _int_array(born["month"]),
        "birth_day": _int_array(born["day"]),
        "postcode": pa.array(postcode["value"], pa.string()),
        "pc4": pa.array(postcode["pc4"], pa.string()),
        "house_number": _int_array(house["number"]),
        "house_number_addition": pa.array(house["addition"], pa.string()),
        "street": pa.array(street["value"], pa.string()),
        "previous_postcodes": previous,
        "postcode_history": history,
    }
    return pa.table(columns, schema=NORMALISED_SCHEMA)
