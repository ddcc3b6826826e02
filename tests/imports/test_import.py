"""Loading partner files: good rows in, bad rows reported and set aside, nothing twice."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from klantocratie.imports.models import BatchStatus, ImportBatch
from klantocratie.imports.selectors import records_of
from klantocratie.imports.services import CHUNK_ROWS, import_file
from klantocratie.linkage.models import PartnerRecord
from klantocratie.registry.models import Source
from klantocratie.sources.arrears.imports import partner_reference
from klantocratie.sources.arrears.models import ArrearsReport
from klantocratie.sources.housing.models import Complaint
from klantocratie.sources.police.models import Report
from klantocratie.sources.waste.models import Weighing
from tests.conftest import BSN_ANNA

from .conftest import IDENTITY, Sources, complaint, csv_bytes, jsonl_bytes, write


def load(source: Source, path: Path | io.BytesIO, **options: Any) -> ImportBatch:
    options.setdefault("all_or_nothing", False)
    return import_file(source, path, requested_by="test", **options)


def problems(batch: ImportBatch) -> list[tuple[int | None, str, str]]:
    return [(p["row"], p["field"], p["reason"]) for p in batch.problems]


def rejects(batch: ImportBatch) -> list[dict[str, str]]:
    with open(batch.rejects_file, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_good_rows_go_to_the_source_and_their_identity_to_the_linkage(
    sources: Sources, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "klachten.csv",
        csv_bytes([complaint("K-1"), complaint("K-2", bsn=BSN_ANNA, status="afgehandeld")]),
    )
    batch = load(sources.housing, path)
    assert batch.status == BatchStatus.LOADED
    assert (batch.rows_read, batch.created, batch.rejected) == (2, 2, 0)
    assert batch.rejects_file == ""
    first = Complaint.objects.get(reference="K-1")
    assert (first.bsn, first.date, first.category, first.status) == (
        "",
        date(2024, 3, 5),
        "onderhoud",
        "open",
    )
    assert Complaint.objects.get(reference="K-2").bsn == BSN_ANNA
    record = PartnerRecord.objects.get(source=sources.housing, reference="K-1")
    assert (
        record.surname,
        record.surname_prefix,
        record.given_names,
        record.birth_date,
        record.street,
        record.house_number,
        record.house_number_addition,
        record.postcode,
        record.city,
        record.bsn,
    ) == ("Horst", "ter", "Riky", "1971-05-19", "Grotestraat", 12, "A", "7607AB", "Almelo", "")
    assert PartnerRecord.objects.get(reference="K-2").bsn == BSN_ANNA
    assert set(records_of(batch).values_list("reference", flat=True)) == {"K-1", "K-2"}


def test_each_bad_row_is_reported_with_row_field_and_reason_and_set_aside(
    sources: Sources, tmp_path: Path
) -> None:
    rows = [
        complaint("K-1"),
        complaint("K-2", geboortedatum="30-02-1980"),
        complaint("K-3", achternaam=""),
        complaint("K-4", postcode="0123 AB", bsn="123456789"),
        complaint("K-1", omschrijving="Nog eens."),
        complaint("K-6", geboortedatum="", postcode="", huisnummer=""),
        complaint("K-7", geboortedatum="01-01-2999"),
        complaint("K-8", status="weet niet"),
    ]
    batch = load(sources.housing, write(tmp_path, "klachten.csv", csv_bytes(rows)))
    assert batch.status == BatchStatus.LOADED
    assert (batch.rows_read, batch.created, batch.rejected) == (8, 1, 7)
    found = problems(batch)
    assert (
        3,
        "geboortedatum",
        "Datum '30-02-1980' bestaat niet: februari 1980 heeft 29 dagen.",
    ) in found
    assert (4, "achternaam", "Verplicht; de waarde ontbreekt.") in found
    assert (5, "bsn", "Dit BSN voldoet niet aan de elfproef.") in found
    assert any(row == 5 and field == "postcode" for row, field, _ in found)
    assert (6, "kenmerk", "Zelfde kenmerk als regel 2.") in found
    assert any(row == 7 and "aan niemand te koppelen" in reason for row, _, reason in found)
    assert (8, "geboortedatum", "Geboortedatum 01-01-2999 ligt in de toekomst.") in found
    assert any(row == 9 and field == "status" and "kies uit" in r for row, field, r in found)
    assert batch.problem_count == len(found) == 8
    refused = rejects(batch)
    assert [row["regel"] for row in refused] == ["3", "4", "5", "6", "7", "8", "9"]
    assert refused[0]["kenmerk"] == "K-2"
    assert refused[0]["geboortedatum"] == "30-02-1980"
    assert "februari 1980 heeft 29 dagen" in refused[0]["fouten"]
    assert list(Complaint.objects.values_list("reference", flat=True)) == ["K-1"]
    assert list(PartnerRecord.objects.values_list("reference", flat=True)) == ["K-1"]


def test_a_corrected_rejects_file_can_be_delivered_as_it_is(
    sources: Sources, tmp_path: Path
) -> None:
    batch = load(
        sources.housing,
        write(tmp_path, "klachten.csv", csv_bytes([complaint("K-1", datum="31-04-2024")])),
    )
    corrected = Path(batch.rejects_file).read_text(encoding="utf-8-sig").replace("31-04", "30-04")
    again = load(sources.housing, write(tmp_path, "verbeterd.csv", corrected.encode()))
    assert (again.status, again.created, again.rejected) == (BatchStatus.LOADED, 1, 0)
    assert Complaint.objects.get(reference="K-1").date == date(2024, 4, 30)


def test_all_or_nothing_leaves_nothing_when_one_row_is_bad(
    sources: Sources, tmp_path: Path
) -> None:
    # The bad row comes after several written chunks: those are undone too.
    rows = [complaint(f"K-{n}") for n in range(CHUNK_ROWS * 2 + 5)]
    rows.append(complaint("K-laatste", datum="gisteren"))
    batch = load(
        sources.housing,
        write(tmp_path, "klachten.csv", csv_bytes(rows)),
        all_or_nothing=True,
    )
    assert batch.status == BatchStatus.REJECTED
    assert (batch.rows_read, batch.rejected, batch.loaded) == (len(rows), 1, 0)
    assert problems(batch)[0][:2] == (len(rows) + 1, "datum")
    assert "niets geladen" in batch.summary()
    assert not Complaint.objects.exists()
    assert not PartnerRecord.objects.exists()
    assert len(rejects(batch)) == 1


def test_all_or_nothing_loads_a_clean_file(sources: Sources, tmp_path: Path) -> None:
    path = write(tmp_path, "klachten.csv", csv_bytes([complaint("K-1"), complaint("K-2")]))
    batch = load(sources.housing, path, all_or_nothing=True)
    assert (batch.status, batch.created) == (BatchStatus.LOADED, 2)
    assert Complaint.objects.count() == PartnerRecord.objects.count() == 2


def test_the_same_file_again_writes_nothing_and_points_at_the_first_import(
    sources: Sources, tmp_path: Path
) -> None:
    path = write(tmp_path, "klachten.csv", csv_bytes([complaint("K-1"), complaint("K-2")]))
    first = load(sources.housing, path)
    Complaint.objects.filter(reference="K-1").update(category="handmatig gewijzigd")
    again = load(sources.housing, path)
    assert again.status == BatchStatus.ALREADY_IMPORTED
    assert again.duplicate_of == first
    assert again.loaded == 0
    assert f"import {first.pk}" in again.summary()
    assert Complaint.objects.get(reference="K-1").category == "handmatig gewijzigd"
    # Into another source, the same file is another delivery.
    assert load(sources.police, path).duplicate_of is None


def test_a_changed_redelivery_updates_by_kenmerk(sources: Sources, tmp_path: Path) -> None:
    load(
        sources.housing,
        write(tmp_path, "v1.csv", csv_bytes([complaint("K-1"), complaint("K-2")])),
    )
    second = load(
        sources.housing,
        write(
            tmp_path,
            "v2.csv",
            csv_bytes(
                [
                    complaint("K-1"),
                    complaint("K-2", status="afgehandeld"),
                    complaint("K-3"),
                    complaint("K-4", postcode="7607 AC"),
                ]
            ),
        ),
    )
    assert (second.created, second.updated, second.unchanged) == (2, 1, 1)
    assert Complaint.objects.get(reference="K-2").status == "afgehandeld"
    assert set(records_of(second).values_list("reference", flat=True)) == {"K-2", "K-3", "K-4"}
    assert Complaint.objects.count() == PartnerRecord.objects.count() == 4
    third = load(
        sources.housing,
        write(tmp_path, "v3.csv", csv_bytes([complaint("K-4", postcode="7607 AD")])),
    )
    # A change in the identity alone is an update too.
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    assert PartnerRecord.objects.get(reference="K-4").postcode == "7607AD"
    # A record belongs to the batch that changed it last.
    assert set(records_of(second).values_list("reference", flat=True)) == {"K-2", "K-3"}
    assert set(records_of(third).values_list("reference", flat=True)) == {"K-4"}


def test_a_latin1_file_is_read_as_windows_1252_and_says_so(
    sources: Sources, tmp_path: Path
) -> None:
    rows = [
        complaint("K-1", achternaam="Gül", omschrijving="Geluidsoverlast, café"),
        complaint("K-2", achternaam="Çelik"),
        complaint("K-3", achternaam="Hoëvenaar", omschrijving="Schade € 250"),
    ]
    batch = load(sources.housing, write(tmp_path, "latin1.csv", csv_bytes(rows, encoding="cp1252")))
    assert (batch.status, batch.created, batch.encoding) == (BatchStatus.LOADED, 3, "cp1252")
    assert "Windows-1252" in batch.notices[0]
    surnames = set(PartnerRecord.objects.values_list("surname", flat=True))
    assert surnames == {"Gül", "Çelik", "Hoëvenaar"}
    assert Complaint.objects.get(reference="K-3").description == "Schade € 250"


def test_an_explicit_encoding_wins_over_detection(sources: Sources, tmp_path: Path) -> None:
    path = write(
        tmp_path, "l.csv", csv_bytes([complaint("K-1", achternaam="Gül")], encoding="latin-1")
    )
    batch = load(sources.housing, path, encoding="latin-1")
    assert batch.notices == []
    assert PartnerRecord.objects.get().surname == "Gül"


def test_an_undecodable_row_in_a_utf8_file_is_a_row_error(sources: Sources, tmp_path: Path) -> None:
    good = csv_bytes([complaint("K-1", achternaam="Hoëvenaar"), complaint("K-2")])
    bad = csv_bytes([complaint("K-3", achternaam="Gül")], encoding="latin-1").split(b"\r\n", 1)[1]
    batch = load(sources.housing, write(tmp_path, "gemengd.csv", good + bad))
    assert (batch.encoding, batch.created, batch.rejected) == ("utf-8", 2, 1)
    assert problems(batch)[0][0] == 4
    assert "niet te lezen als UTF-8 (byte 0xFC)" in problems(batch)[0][2]
    assert "UTF-8, maar sommige regels niet" in batch.notices[0]


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("05-03-2024", date(2024, 3, 5)),
        ("5-3-2024", date(2024, 3, 5)),
        ("05/03/2024", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
    ],
)
def test_dates_in_several_formats(
    sources: Sources, tmp_path: Path, variant: str, expected: date
) -> None:
    path = write(
        tmp_path, "k.csv", csv_bytes([complaint("K-1", datum=variant, geboortedatum=variant)])
    )
    load(sources.housing, path)
    assert Complaint.objects.get().date == expected
    assert PartnerRecord.objects.get().birth_date == expected.isoformat()


def test_unknown_columns_refuse_the_file_and_name_the_expected_ones(
    sources: Sources, tmp_path: Path
) -> None:
    rows = [{**complaint("K-1"), "telefoon": "0612345678", "Opmerking ": "x"}]
    batch = load(sources.housing, write(tmp_path, "k.csv", csv_bytes(rows)))
    assert batch.status == BatchStatus.REFUSED
    [reason] = [p[2] for p in problems(batch)]
    assert reason.startswith("Onbekende kolommen: telefoon, opmerking. Verwacht voor klachten")
    assert "kenmerk, bsn, achternaam" in reason
    assert batch.refused
    assert not Complaint.objects.exists()


def test_missing_required_columns_refuse_the_file(sources: Sources, tmp_path: Path) -> None:
    row = complaint("K-1")
    del row["achternaam"], row["datum"]
    batch = load(sources.housing, write(tmp_path, "k.csv", csv_bytes([row])))
    assert batch.status == BatchStatus.REFUSED
    assert problems(batch) == [(None, "", "Verplichte kolommen ontbreken: achternaam, datum.")]


def test_a_file_of_zero_bytes_is_empty(sources: Sources, tmp_path: Path) -> None:
    batch = load(sources.housing, write(tmp_path, "leeg.csv", b""))
    assert batch.status == BatchStatus.EMPTY
    assert problems(batch) == [(None, "", "Het bestand is leeg (0 bytes).")]
    assert "Er is niets geladen" in batch.summary()


def test_a_header_without_rows_is_empty(sources: Sources, tmp_path: Path) -> None:
    header = ";".join(complaint("K")).encode() + b"\r\n\r\n;;\r\n"
    batch = load(sources.housing, write(tmp_path, "kop.csv", header))
    assert batch.status == BatchStatus.EMPTY
    assert problems(batch)[0][2] == "Het bestand bevat een kopregel maar geen gegevens."


@pytest.mark.parametrize(("name", "content"), [("k.csv", b"\r\n \r\n"), ("k.jsonl", b"\n\n")])
def test_a_file_of_empty_lines_is_empty(
    sources: Sources, tmp_path: Path, name: str, content: bytes
) -> None:
    batch = load(sources.housing, write(tmp_path, name, content))
    assert batch.status == BatchStatus.EMPTY
    assert problems(batch)[0][2] == "Het bestand bevat geen gegevens, alleen lege regels."


def test_an_empty_file_is_never_taken_for_an_earlier_import(
    sources: Sources, tmp_path: Path
) -> None:
    path = write(tmp_path, "leeg.csv", b"")
    load(sources.housing, path)
    assert load(sources.housing, path).status == BatchStatus.EMPTY


def test_a_file_that_is_no_text_is_refused(sources: Sources, tmp_path: Path) -> None:
    spreadsheet = load(sources.housing, write(tmp_path, "k.dat", b"PK\x03\x04rest"))
    assert spreadsheet.status == BatchStatus.REFUSED
    assert "Excel" in problems(spreadsheet)[0][2]
    utf16 = load(sources.housing, write(tmp_path, "k.csv", "kenmerk;achternaam\n".encode("utf-16")))
    assert utf16.status == BatchStatus.REFUSED
    assert "UTF-16" in problems(utf16)[0][2]


def test_an_unknown_encoding_is_refused(sources: Sources, tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", csv_bytes([complaint("K-1")]))
    batch = load(sources.housing, path, encoding="klingon")
    assert batch.status == BatchStatus.REFUSED
    assert "Tekenset 'klingon' is onbekend" in problems(batch)[0][2]


def test_a_row_with_too_many_fields_is_rejected(sources: Sources, tmp_path: Path) -> None:
    content = csv_bytes([complaint("K-1")]) + b"K-2;Horst;extra;veld\r\n"
    batch = load(sources.housing, write(tmp_path, "k.csv", content))
    assert (batch.created, batch.rejected) == (1, 1)
    assert problems(batch) == [(3, "", "De regel heeft 4 velden, de kopregel 14.")]


def test_jsonl_files_load_and_report_by_line(sources: Sources, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = [
        {
            "kenmerk": "M-1",
            **IDENTITY,
            "datum": "2024-03-05",
            "soort": "inbraak",
            "omschrijving": "x",
        },
        {
            "kenmerk": "M-2",
            **IDENTITY,
            "datum": "2024-03-05",
            "soort": "inbraak",
            "omschrijving": None,
        },
    ]
    content = jsonl_bytes(lines[:1]) + b"\n{kapot\n" + jsonl_bytes(lines[1:]) + b'["geen object"]\n'
    batch = load(sources.police, write(tmp_path, "meldingen.jsonl", content))
    assert (batch.file_format, batch.rows_read, batch.created, batch.rejected) == ("jsonl", 4, 1, 3)
    found = problems(batch)
    assert found[0][0] == 3 and "geen geldige JSON" in found[0][2]
    assert found[1] == (4, "omschrijving", "Verplicht; de waarde ontbreekt.")
    assert found[2] == (5, "", "De regel is geen JSON-object {…}.")
    assert Report.objects.get().reference == "M-1"
    with open(batch.rejects_file, encoding="utf-8") as handle:
        refused = [json.loads(line) for line in handle]
    assert refused[0] == {"regel": 3, "fouten": [found[0][2]], "origineel": "{kapot"}
    assert refused[1]["kenmerk"] == "M-2"
    assert refused[1]["fouten"] == ["omschrijving: Verplicht; de waarde ontbreekt."]


def test_jsonl_unknown_keys_refuse_the_file_on_the_first_line_and_reject_later_rows(
    sources: Sources, tmp_path: Path
) -> None:
    line = {"kenmerk": "M-1", **IDENTITY, "datum": "2024-03-05", "soort": "x", "omschrijving": "y"}
    first = load(sources.police, write(tmp_path, "a.jsonl", jsonl_bytes([{**line, "foto": "a"}])))
    assert first.status == BatchStatus.REFUSED
    later = load(
        sources.police,
        write(tmp_path, "b.jsonl", jsonl_bytes([line, {**line, "kenmerk": "M-2", "foto": "a"}])),
    )
    assert (later.created, later.rejected) == (1, 1)
    assert problems(later) == [(2, "", "Onbekende kolommen: foto.")]


def test_jsonl_numbers_keep_their_digits(sources: Sources, tmp_path: Path) -> None:
    line = {
        "kenmerk": 17,
        **IDENTITY,
        "bsn": int(BSN_ANNA),
        "datum": "2024-03-05",
        "fractie": "GFT",
        "kg": 12.5,
    }
    batch = load(sources.waste, write(tmp_path, "w.jsonl", jsonl_bytes([line])))
    assert batch.created == 1
    weighing = Weighing.objects.get()
    assert (weighing.reference, weighing.bsn, weighing.fraction, weighing.kg) == (
        "17",
        BSN_ANNA,
        "gft",
        Decimal("12.5"),
    )


def test_waste_weights_are_checked(sources: Sources, tmp_path: Path) -> None:
    def weighing(reference: str, kg: str) -> dict[str, str]:
        return {
            "kenmerk": reference,
            **IDENTITY,
            "datum": "05-03-2024",
            "fractie": "restafval",
            "kg": kg,
        }

    rows = [
        weighing("W-1", "12,5"),
        weighing("W-2", "12,55"),
        weighing("W-3", "0"),
        weighing("W-4", "1.234,5"),
    ]
    batch = load(sources.waste, write(tmp_path, "w.csv", csv_bytes(rows, delimiter=",")))
    assert (batch.created, batch.rejected) == (1, 3)
    reasons = [reason for _, _, reason in problems(batch)]
    assert "te veel decimalen" in reasons[0]
    assert "meer dan 0" in reasons[1]
    assert "Geen getal" in reasons[2]


def test_arrears_reports_are_known_by_creditor_and_kenmerk(
    sources: Sources, tmp_path: Path
) -> None:
    def report(creditor: str, reference: str, **overrides: str) -> dict[str, str]:
        row = {
            "kenmerk": reference,
            **IDENTITY,
            "schuldeiser": creditor,
            "naam_schuldeiser": creditor.title(),
            "soort": "energie",
            "bedrag": "€ 312,40",
            "achterstand_sinds": "01-01-2024",
            "gemeld_op": "01-03-2024",
        }
        row.update(overrides)
        return row

    rows = [
        report("energie-twente", "A-1"),
        report("waterbedrijf", "A-1", soort="water"),
        report("energie-twente", "A-1"),
        report("energie-twente", "A-2", achterstand_sinds="01-04-2024"),
    ]
    batch = load(sources.arrears, write(tmp_path, "a.csv", csv_bytes(rows, delimiter="\t")))
    assert (batch.created, batch.rejected) == (2, 2)
    assert problems(batch) == [
        (4, "kenmerk", "Zelfde kenmerk als regel 2."),
        (5, "achterstand_sinds", "De achterstand kan niet na de melding beginnen."),
    ]
    report_row = ArrearsReport.objects.get(creditor="waterbedrijf")
    assert (report_row.reference, report_row.kind, report_row.bsn) == ("A-1", "water", "")
    assert ArrearsReport.objects.get(creditor="energie-twente").amount == Decimal("312.40")
    assert set(PartnerRecord.objects.values_list("reference", flat=True)) == {
        partner_reference("energie-twente", "A-1"),
        partner_reference("waterbedrijf", "A-1"),
    }


def test_a_source_without_an_import_format_refuses(sources: Sources, tmp_path: Path) -> None:
    sources.housing.connector = "local.population"
    batch = load(sources.housing, write(tmp_path, "k.csv", csv_bytes([complaint("K-1")])))
    assert batch.status == BatchStatus.REFUSED
    assert "neemt geen partnerbestanden aan" in problems(batch)[0][2]


def test_progress_is_reported_per_chunk(sources: Sources) -> None:
    content = csv_bytes([complaint(f"K-{n}") for n in range(CHUNK_ROWS + 10)])
    seen: list[tuple[int, int]] = []
    load(
        sources.housing,
        io.BytesIO(content),
        on_progress=lambda read, expected: seen.append((read, expected)),
    )
    assert seen == [(CHUNK_ROWS, CHUNK_ROWS + 11), (CHUNK_ROWS + 10, CHUNK_ROWS + 11)]


def test_a_file_object_is_named_by_its_name_or_not_at_all(sources: Sources) -> None:
    content = csv_bytes([complaint("K-1")])
    assert load(sources.housing, io.BytesIO(content)).file_name == "bestand"
    named = io.BytesIO(content)
    named.name = "/partners/maart.csv"  # type: ignore[attr-defined]
    assert load(sources.housing, named).file_name == "maart.csv"


def test_problems_shown_are_capped_but_counted(
    sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("klantocratie.imports.services.PROBLEMS_SHOWN", 5)
    content = csv_bytes([complaint(f"K-{n}", datum="nooit") for n in range(12)])
    batch = load(sources.housing, io.BytesIO(content))
    assert (len(batch.problems), batch.problem_count, batch.rejected) == (5, 12, 12)
