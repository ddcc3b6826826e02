"""klantocratie import-partner-file: a summary, the first problems, and an exit status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from klantocratie.sources.housing.models import Complaint

from .conftest import Sources, complaint, csv_bytes, write


def run(*args: str) -> tuple[int, str, str]:
    """The command's exit status (a CommandError's, as the shell gets it), stdout and
    stderr (with the error, as the shell shows it)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_partner_file", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"{err.getvalue()}CommandError: {error}"
    return 0, out.getvalue(), err.getvalue()


def test_a_loaded_file_exits_zero_with_a_summary(sources: Sources, tmp_path: Path) -> None:
    rows = [complaint("K-1"), complaint("K-2", postcode="7607")]
    path = write(tmp_path, "klachten.csv", csv_bytes(rows))
    rejects = tmp_path / "fout.csv"
    status, out, err = run("huuradministratie", str(path), "--rejects", str(rejects))
    assert status == 0
    assert "regel 3, postcode: Een postcode is 4 cijfers" in out
    assert f"Afgekeurde regels: {rejects}" in out
    assert "2 regels gelezen: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd, 1 afgekeurd." in out
    assert rejects.is_file()
    assert "Inlezen" in err  # the progress bar, on stderr
    assert Complaint.objects.count() == 1


def test_a_refused_file_exits_non_zero(sources: Sources, tmp_path: Path) -> None:
    path = write(tmp_path, "klachten.csv", csv_bytes([{**complaint("K-1"), "foto": "x"}]))
    status, _out, err = run("huuradministratie", str(path), "--no-progress")
    assert status == 1
    assert "Onbekende kolommen: foto." in err


def test_all_or_nothing_with_a_bad_row_exits_non_zero(sources: Sources, tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", csv_bytes([complaint("K-1"), complaint("K-2", datum="x")]))
    status, out, err = run("huuradministratie", str(path), "--all-or-nothing", "--no-progress")
    assert status == 1
    assert "regel 3, datum: Datum 'x' niet herkend" in out
    assert "niets geladen" in err
    assert not Complaint.objects.exists()


def test_an_empty_file_exits_non_zero(sources: Sources, tmp_path: Path) -> None:
    status, _out, err = run(
        "huuradministratie", str(write(tmp_path, "l.csv", b"")), "--no-progress"
    )
    assert status == 1
    assert "Het bestand is leeg (0 bytes)." in err


def test_the_same_file_again_exits_zero_and_says_so(sources: Sources, tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", csv_bytes([complaint("K-1")]))
    call_command(
        "import_partner_file",
        "huuradministratie",
        str(path),
        no_progress=True,
        stdout=io.StringIO(),
    )
    status, out, _err = run("huuradministratie", str(path), "--no-progress")
    assert status == 0
    assert "al eerder ingelezen" in out


def test_format_and_encoding_can_be_given(sources: Sources, tmp_path: Path) -> None:
    content = csv_bytes([complaint("K-1", achternaam="Gül")], encoding="latin-1")
    path = write(tmp_path, "export.dat", content)
    status, _out, _err = run(
        "huuradministratie", str(path), "--format", "csv", "--encoding", "latin-1", "--no-progress"
    )
    assert status == 0


@pytest.mark.parametrize(
    ("source", "reason"),
    [("brp", "neemt geen bestanden aan; wel: "), ("huuradministratie", "bestaat niet")],
)
def test_unknown_sources_and_files_are_named(
    sources: Sources, tmp_path: Path, source: str, reason: str
) -> None:
    status, _out, err = run(source, str(tmp_path / "nergens.csv"))
    assert status == 1
    assert reason in err
