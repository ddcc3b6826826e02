"""The readers stream: rows come one at a time from lines of bounded length."""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterator

import pytest

from klantocratie.imports import formats
from klantocratie.imports.formats import CsvReader, JsonLinesReader, inspect


class Tracked(io.BytesIO):
    """A file that remembers the largest single read asked of it."""

    largest_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.largest_read = max(self.largest_read, len(data))
        return data


def generated_csv(rows: int) -> Iterator[bytes]:
    yield b"kenmerk;achternaam;geboortedatum\r\n"
    for n in range(rows):
        yield f"K-{n};Achternaam {n};01-01-1970\r\n".encode()


def test_a_large_file_is_read_row_by_row_not_whole() -> None:
    content = b"".join(generated_csv(200_000))
    binary = Tracked(content)
    rows = CsvReader(binary, "utf-8").rows()
    assert isinstance(rows, Iterator)
    first = list(itertools.islice(rows, 10))
    assert [row.number for row in first] == list(range(2, 12))
    assert first[0].values == {
        "kenmerk": "K-0",
        "achternaam": "Achternaam 0",
        "geboortedatum": "01-01-1970",
    }
    # Ten rows read means ten lines read, not the file's 6 MB.
    assert binary.tell() < 1000 < len(content)
    assert sum(1 for _ in rows) == 200_000 - 10


def test_the_first_pass_reads_in_blocks() -> None:
    content = b"".join(generated_csv(200_000))
    binary = Tracked(content)
    found = inspect(binary)
    assert binary.largest_read <= 1 << 20 < len(content)
    assert (found.size, found.lines, found.encoding) == (len(content), 200_001, "utf-8")
    assert binary.tell() == 0


def test_jsonl_is_read_line_by_line() -> None:
    content = b"".join(b'{"kenmerk": "K-%d"}\n' % n for n in range(100_000))
    binary = io.BytesIO(content)
    reader = JsonLinesReader(binary, "utf-8")
    rows = reader.rows()
    assert next(rows).values == {"kenmerk": "K-0"}
    assert reader.columns == ["kenmerk"]
    assert binary.tell() < 100


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_taken_from_the_header(delimiter: str) -> None:
    content = f"Kenmerk{delimiter} Achternaam \nK-1{delimiter}Horst\n".encode()
    reader = CsvReader(io.BytesIO(codecs.BOM_UTF8 + content), "utf-8")
    assert reader.delimiter == delimiter
    assert reader.columns == ["kenmerk", "achternaam"]
    assert [row.values for row in reader.rows()] == [{"kenmerk": "K-1", "achternaam": "Horst"}]


def test_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    content = b'kenmerk;omschrijving\nK-1;"twee\nregels"\n\nK-2;x\n'
    numbers = [row.number for row in CsvReader(io.BytesIO(content), "utf-8").rows()]
    assert numbers == [2, 4]


def test_empty_lines_above_the_header_keep_their_numbers() -> None:
    reader = CsvReader(io.BytesIO(b"\r\n\r\nkenmerk;achternaam\r\nK-1;Horst\r\n"), "utf-8")
    assert reader.columns == ["kenmerk", "achternaam"]
    assert [row.number for row in reader.rows()] == [4]


def test_a_line_longer_than_the_limit_is_one_bad_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "MAX_LINE_BYTES", 64)
    content = b"kenmerk;achternaam\n" + b"K-1;" + b"x" * 500 + b"\nK-2;Horst\n"
    rows = list(CsvReader(io.BytesIO(content), "utf-8").rows())
    assert [row.number for row in rows] == [2, 3]
    assert "langer dan" in rows[0].problems[0][1]
    assert rows[1].values == {"kenmerk": "K-2", "achternaam": "Horst"}


def test_an_unreadable_header_refuses_the_file() -> None:
    with pytest.raises(formats.FileRefused, match="kopregel is niet te lezen"):
        CsvReader(io.BytesIO(b"kenm\xe9rk;x\nK;y\n"), "utf-8")


def test_windows_1252_is_chosen_only_without_utf8_evidence() -> None:
    latin = "kenmerk;achternaam\nK-1;Gül\n".encode("cp1252")
    assert inspect(io.BytesIO(latin)).encoding == "cp1252"
    utf8 = "kenmerk;achternaam\nK-1;Gül\n".encode()
    assert inspect(io.BytesIO(utf8 + latin)).encoding == "utf-8"
    assert inspect(io.BytesIO(b"kenmerk\nK-1\n")).notices == []
