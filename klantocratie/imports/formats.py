"""Reading partner files row by row, and writing the rows that were refused.

A partner file can hold a million rows, so nothing here reads a file whole: a first
pass reads it in blocks (its SHA-256, its size, its line count and its encoding), then
the readers yield one row at a time from lines of bounded length. Each line is decoded
on its own, so a line that cannot be decoded spoils that row only, not the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .schema import REJECTS_COLUMNS

CSV = "csv"
JSONL = "jsonl"
FORMATS = (CSV, JSONL)
_EXTENSIONS = {".csv": CSV, ".tsv": CSV, ".txt": CSV, ".jsonl": JSONL, ".ndjson": JSONL}
DELIMITERS = (";", ",", "\t")

UTF8 = "utf-8"
WINDOWS_1252 = "cp1252"
_BLOCK = 1 << 20
# A line longer than this is not a partner's record; it is skipped as one bad row.
MAX_LINE_BYTES = 1 << 20


class FileRefused(Exception):
    """The file as a whole cannot be read; `problems` say why, in Dutch."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Inspection:
    """What the first pass over the file found."""

    sha256: str
    size: int
    # Line breaks in the file: the rows to expect, for a progress bar.
    lines: int
    encoding: str
    notices: list[str] = field(default_factory=list)


def encoding_label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return {"utf-8": "UTF-8", "cp1252": "Windows-1252 (Latin-1)"}.get(name, name)


def _check_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise FileRefused(
            f"Tekenset {encoding!r} is onbekend; gebruik bijvoorbeeld utf-8 of cp1252."
        ) from None
    if name == "utf-8-sig":  # a byte-order mark is skipped whatever the encoding
        name = UTF8
    # Lines are split on the byte \n, which only encodings that keep ASCII as it is allow.
    if "a;\n".encode(name, errors="replace") != b"a;\n":
        raise FileRefused(
            f"Tekenset {encoding!r} wordt niet ondersteund; sla het bestand op als UTF-8."
        )
    return name


def inspect(binary: IO[bytes], encoding: str | None = None) -> Inspection:
    """Read the file once in blocks: digest, size, lines and (unless given) its encoding.

    Without an explicit encoding the file is UTF-8 when it decodes as UTF-8; when it does
    not and no line holds UTF-8 beyond ASCII it was saved as Windows-1252 (the Latin-1
    superset spreadsheets on Windows write). A UTF-8 file with a few undecodable lines
    stays UTF-8: those lines become row errors.
    """
    chosen = _check_encoding(encoding) if encoding else None
    digest = hashlib.sha256()
    size = lines = 0
    decoder = codecs.getincrementaldecoder(UTF8)()
    invalid = utf8_beyond_ascii = False
    block = binary.read(_BLOCK)
    _refuse_binary(block)
    while block:
        digest.update(block)
        size += len(block)
        lines += block.count(b"\n")
        if chosen is None:
            try:
                decoder.decode(block)
                utf8_beyond_ascii = utf8_beyond_ascii or not block.isascii()
            except UnicodeDecodeError:
                invalid = True
                decoder = codecs.getincrementaldecoder(UTF8)()
                utf8_beyond_ascii = utf8_beyond_ascii or any(
                    _is_utf8_beyond_ascii(line) for line in block.split(b"\n")
                )
        block = binary.read(_BLOCK)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        invalid = True
    if size and not lines and b"\r" in _first_bytes(binary):
        raise FileRefused(
            "Het bestand gebruikt alleen \\r als regeleinde (oud Mac-formaat); sla het op "
            "met gewone regeleinden."
        )
    binary.seek(0)
    notices: list[str] = []
    if chosen is None:
        chosen = UTF8
        if invalid and utf8_beyond_ascii:
            notices.append(
                "Het bestand is UTF-8, maar sommige regels niet; die regels zijn afgekeurd."
            )
        elif invalid:
            chosen = WINDOWS_1252
            notices.append(
                "Het bestand is niet als UTF-8 opgeslagen; het is gelezen als Windows-1252 "
                "(Latin-1). Klopt dat niet, geef dan de tekenset op."
            )
    return Inspection(digest.hexdigest(), size, lines, chosen, notices)


def _is_utf8_beyond_ascii(line: bytes) -> bool:
    if line.isascii():
        return False
    try:
        line.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


def _first_bytes(binary: IO[bytes]) -> bytes:
    binary.seek(0)
    return binary.read(_BLOCK)


def _refuse_binary(start: bytes) -> None:
    if start.startswith(b"PK\x03\x04"):
        raise FileRefused(
            "Dit is een Excel- of ZIP-bestand; sla het op als CSV (UTF-8) of JSON Lines."
        )
    if b"\x00" in start:
        raise FileRefused(
            "Het bestand bevat NUL-tekens: het is geen tekstbestand in UTF-8 of "
            "Windows-1252 (misschien UTF-16). Sla het op als CSV (UTF-8)."
        )


def format_of(name: str, binary: IO[bytes]) -> str:
    """CSV or JSON Lines, by the file's extension or else by its first character."""
    suffix = Path(name).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix in {".xlsx", ".xls", ".ods"}:
        raise FileRefused(f"{suffix}-bestanden worden niet gelezen; sla het op als CSV (UTF-8).")
    start = binary.read(4096)
    binary.seek(0)
    return JSONL if start.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{") else CSV


@dataclass
class RawRow:
    """One row as read: its number in the file, its values by column, and the original
    (for the rejects file), with any problem reading it."""

    number: int
    values: dict[str, str]
    original: Any
    problems: list[tuple[str, str]] = field(default_factory=list)


def _lines(binary: IO[bytes], encoding: str) -> Iterator[tuple[str, str | None]]:
    """Each line decoded on its own, with the reason it could not be (or None)."""
    label = encoding_label(encoding)
    if binary.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        binary.seek(0)
    while raw := binary.readline(MAX_LINE_BYTES):
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := binary.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield "\n", f"De regel is langer dan {MAX_LINE_BYTES // 1024} KiB en is niet gelezen."
            continue
        try:
            yield raw.decode(encoding), None
        except UnicodeDecodeError as error:
            yield (
                raw.decode(encoding, errors="replace"),
                f"Tekens op positie {error.start + 1} zijn niet te lezen als {label} "
                f"(byte 0x{raw[error.start]:02X}).",
            )


def _clean_name(name: str) -> str:
    return " ".join(name.strip().lower().split())


class CsvReader:
    """Rows of a CSV file with a header row; the delimiter (; , or tab) is taken from it.

    Rows are numbered as a spreadsheet numbers them: the header is row 1 (unless empty
    lines come first).
    """

    format = CSV

    def __init__(self, binary: IO[bytes], encoding: str) -> None:
        self._physical = 0
        self._unreadable: deque[tuple[int, str]] = deque()
        lines = self._counted(_lines(binary, encoding))
        # Empty lines above the header are skipped, keeping their row numbers.
        first = next((line for line in lines if line.strip()), None)
        self._header_row = self._physical
        self.columns: list[str] = []
        self.header: list[str] = []
        self._kept: list[int] = []
        self.delimiter = ";"
        if first is None:
            self._reader: Iterator[list[str]] = iter(())
            return
        if self._unreadable:
            raise FileRefused(f"De kopregel is niet te lezen: {self._unreadable[0][1]}")
        self.delimiter = max(DELIMITERS, key=first.count)
        self._reader = csv.reader(_prepend(first, lines), delimiter=self.delimiter)
        header = next(self._reader)
        self.columns = [_clean_name(name) for name in header]
        self._kept = [i for i, name in enumerate(self.columns) if name not in REJECTS_COLUMNS]
        self.header = [header[i] for i in self._kept]

    def _counted(self, lines: Iterator[tuple[str, str | None]]) -> Iterator[str]:
        for text, problem in lines:
            self._physical += 1
            if problem:
                self._unreadable.append((self._physical, problem))
            yield text

    def rows(self) -> Iterator[RawRow]:
        number = self._header_row
        while True:
            try:
                fields = next(self._reader)
                problems: list[tuple[str, str]] = []
            except StopIteration:
                return
            except csv.Error as error:
                fields, problems = [], [("", f"De regel is geen geldige CSV: {error}.")]
            number += 1
            while self._unreadable and self._unreadable[0][0] <= self._physical:
                problems.append(("", self._unreadable.popleft()[1]))
            if not problems and not any(value.strip() for value in fields):
                continue
            yield self._row(number, fields, problems)

    def _row(self, number: int, fields: list[str], problems: list[tuple[str, str]]) -> RawRow:
        if len(fields) != len(self.columns):
            if not problems:
                problems.append(
                    (
                        "",
                        f"De regel heeft {len(fields)} velden, de kopregel {len(self.columns)}.",
                    )
                )
            return RawRow(number, {}, fields, problems)
        values = {self.columns[i]: fields[i] for i in self._kept}
        return RawRow(number, values, [fields[i] for i in self._kept], problems)

    def rejects(self, path: Path) -> Rejects:
        return CsvRejects(path, self.header, self.delimiter)


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class JsonLinesReader:
    """Rows of a JSON Lines file: one JSON object per line, numbered by line.

    There is no header: the keys of the first object are taken as the file's columns.
    Numbers are kept as written (12.50 stays "12.50"); null is an empty value.
    """

    format = JSONL

    def __init__(self, binary: IO[bytes], encoding: str) -> None:
        self._lines = enumerate(_lines(binary, encoding), start=1)
        self._first: tuple[int, tuple[str, str | None]] | None = None
        for number, (text, problem) in self._lines:
            if text.strip():
                self._first = (number, (text, problem))
                break
        self.columns: list[str] = []
        if self._first is not None:
            first = self._parse(*self._first)
            if not first.problems:
                self.columns = list(first.values)

    def rows(self) -> Iterator[RawRow]:
        if self._first is None:
            return
        yield self._parse(*self._first)
        for number, line in self._lines:
            if line[0].strip():
                yield self._parse(number, line)

    def _parse(self, number: int, line: tuple[str, str | None]) -> RawRow:
        text, problem = line
        if problem:
            return RawRow(number, {}, text.rstrip("\r\n"), [("", problem)])
        try:
            record = json.loads(text, parse_float=str, parse_int=str)
        except ValueError as error:
            return RawRow(
                number, {}, text.rstrip("\r\n"), [("", f"De regel is geen geldige JSON: {error}.")]
            )
        if not isinstance(record, dict):
            return RawRow(
                number, {}, text.rstrip("\r\n"), [("", "De regel is geen JSON-object {…}.")]
            )
        values: dict[str, str] = {}
        problems: list[tuple[str, str]] = []
        for key, value in record.items():
            name = _clean_name(key)
            if name in REJECTS_COLUMNS:
                continue
            if value is None:
                values[name] = ""
            elif isinstance(value, str):
                values[name] = value
            else:
                problems.append((name, "De waarde is geen tekst of getal."))
        original = {
            key: value for key, value in record.items() if _clean_name(key) not in REJECTS_COLUMNS
        }
        return RawRow(number, values, original, problems)

    def rejects(self, path: Path) -> Rejects:
        return JsonLinesRejects(path)


Reader = CsvReader | JsonLinesReader


def reader(file_format: str, binary: IO[bytes], encoding: str) -> Reader:
    return CsvReader(binary, encoding) if file_format == CSV else JsonLinesReader(binary, encoding)


def describe(problems: list[tuple[str, str]]) -> list[str]:
    return [f"{name}: {reason}" if name else reason for name, reason in problems]


class Rejects(ABC):
    """The refused rows, in the input's format, each with its row number and reasons.

    The file is created with the first refused row, so a clean import leaves none.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[str] | None = None

    def write(self, row: RawRow, problems: list[tuple[str, str]]) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self._open()
        self._write(row, problems)
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    @abstractmethod
    def _open(self) -> IO[str]: ...

    @abstractmethod
    def _write(self, row: RawRow, problems: list[tuple[str, str]]) -> None: ...


class CsvRejects(Rejects):
    """UTF-8 with a byte-order mark, so spreadsheets open the accents right."""

    def __init__(self, path: Path, header: list[str], delimiter: str) -> None:
        super().__init__(path)
        self._header = header
        self._delimiter = delimiter

    def _open(self) -> IO[str]:
        handle = self.path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(handle, delimiter=self._delimiter)
        self._writer.writerow([*REJECTS_COLUMNS, *self._header])
        return handle

    def _write(self, row: RawRow, problems: list[tuple[str, str]]) -> None:
        self._writer.writerow([row.number, "; ".join(describe(problems)), *row.original])


class JsonLinesRejects(Rejects):
    def _open(self) -> IO[str]:
        return self.path.open("w", encoding=UTF8)

    def _write(self, row: RawRow, problems: list[tuple[str, str]]) -> None:
        record: dict[str, Any] = {"regel": row.number, "fouten": describe(problems)}
        if isinstance(row.original, dict):
            record.update(row.original)
        else:
            record["origineel"] = row.original
        assert self._handle is not None
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
