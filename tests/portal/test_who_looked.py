"""Who looked at my data: every processing-log record about the person, with the
organisation, purpose and legal basis, never the employee; a total that equals the log's
own count exactly (this visit included); pagination and filters."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from klantocratie.parties.models import Party
from klantocratie.privacy import gate, log
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.privacy.selectors import subject_pseudonyms
from tests.support.portal import PortalWorld


def log_count(party: Party) -> int:
    return ProcessingLogRecord.objects.filter(data_subject_id__in=subject_pseudonyms(party)).count()


def total_on(page: str) -> int:
    found = re.search(r"Het logboek bevat (\d+) vastlegging", page)
    assert found, "the page states the total"
    return int(found.group(1))


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return re.findall(r"<tr>.*?</tr>", body, flags=re.S)


def reads_by_three_organisations(party: Party) -> None:
    gate.read(
        gate.AccessContext("demo-kcc", "kcc_agent", "gemeente-almelo", "kcc-dienstverlening"), party
    )
    gate.read(gate.AccessContext("demo-uwv", "kcc_agent", "uwv", "kcc-dienstverlening"), party)
    gate.read(
        gate.AccessContext("demo-belasting", "case_worker", "gbtwente", "zaakbehandeling"),
        party,
        ["person.name", "person.address"],
    )


def test_the_total_equals_the_logs_count_after_reads_by_different_organisations(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    reads_by_three_organisations(portal_world.riky)
    page = riky_client.get("/mijn/inzage/").content.decode()
    assert total_on(page) == log_count(portal_world.riky)
    for organisation in (
        "Gemeente Almelo",
        "UWV",
        "GBTwente (Gemeentelijk Belastingkantoor Twente)",
    ):
        assert f'<td data-label="Organisatie">{organisation}</td>' in page
    # Opening the page again is one more processing, and the total says so.
    reads_by_three_organisations(portal_world.riky)
    again = riky_client.get("/mijn/inzage/").content.decode()
    assert total_on(again) == total_on(page) + 4 == log_count(portal_world.riky)


def test_the_newest_record_is_this_visit_with_purpose_and_legal_basis(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    reads_by_three_organisations(portal_world.riky)
    first = rows(riky_client.get("/mijn/inzage/").content.decode())[0]
    assert "Inzage in eigen gegevens" in first
    assert "Art. 15 AVG (recht op inzage)" in first
    assert "Wettelijke verplichting (art. 6 lid 1 sub c AVG)" in first
    assert "Uzelf" in first
    page = riky_client.get("/mijn/inzage/").content.decode()
    assert "Dienstverlening klantcontactcentrum" in page
    assert "Behandeling van aanvragen en meldingen" in page
    assert "Een medewerker (kcc-medewerker)" in page


def test_no_employee_is_named_and_the_page_says_how_to_find_out(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    reads_by_three_organisations(portal_world.riky)
    page = riky_client.get("/mijn/inzage/").content.decode()
    for name in (
        "demo-kcc",
        "demo-uwv",
        "demo-belasting",
        "Kim de Vries",
        "Umut Yilmaz",
        "Gert Kamphuis",
    ):
        assert name not in page
    assert "art. 15 AVG" in page
    assert "functionaris gegevensbescherming" in page


def test_a_record_without_an_audit_entry_names_the_activitys_controller(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    now = timezone.now()
    pseudonym = log.pseudonymise("bsn", portal_world.bsn(portal_world.riky))
    log.append(
        [
            log.LogEntry(
                "f" * 32,
                "e" * 16,
                "",
                "extract",
                "vroegsignalering@1",
                pseudonym,
                "bsn",
                now,
                now,
                "OK",
            )
        ]
    )
    page = riky_client.get("/mijn/inzage/").content.decode()
    row = next(r for r in rows(page) if "Vroegsignalering van betalingsachterstanden" in r)
    assert '<td data-label="Organisatie">Gemeente Almelo</td>' in row
    assert "Art. 3a Wet gemeentelijke schuldhulpverlening" in row


def test_pages_of_fifty_newest_first(portal_world: PortalWorld, riky_client: Client) -> None:
    now = timezone.now()
    pseudonym = log.pseudonymise("bsn", portal_world.bsn(portal_world.riky))
    log.append(
        log.LogEntry(
            f"{n:032x}",
            f"{n:016x}",
            "",
            "read",
            "kcc-dienstverlening@2",
            pseudonym,
            "bsn",
            now - timedelta(minutes=n),
            now - timedelta(minutes=n),
            "OK",
        )
        for n in range(1, 121)
    )
    first = riky_client.get("/mijn/inzage/").content.decode()
    total = total_on(first)
    assert total == log_count(portal_world.riky) >= 121
    assert len(rows(first)) == 50
    sequences = [int(s) for s in re.findall(r'<td data-label="Regel">(\d+)</td>', first)]
    assert sequences == sorted(sequences, reverse=True)
    pages = -(-total // 50)
    assert f"Pagina 1 van {pages}" in first
    last = riky_client.get(f"/mijn/inzage/?pagina={pages}").content.decode()
    # The last page's visit added one more record; the earlier pages shift by one.
    assert len(rows(last)) == (total_on(last)) - 50 * (pages - 1)


def test_filter_by_organisation_and_period(portal_world: PortalWorld, riky_client: Client) -> None:
    reads_by_three_organisations(portal_world.riky)
    page = riky_client.get("/mijn/inzage/", {"organisatie": "uwv"}).content.decode()
    found = rows(page)
    assert len(found) == 1 and "UWV" in found[0]
    assert f"1 van de {total_on(page)} vastleggingen passen bij het filter." in page
    assert '<option value="gbtwente">' in page
    today = timezone.localdate()
    in_period = riky_client.get(
        "/mijn/inzage/", {"van": today.isoformat(), "tot": today.isoformat()}
    ).content.decode()
    assert len(rows(in_period)) == total_on(in_period)
    tomorrow = (today + timedelta(days=1)).isoformat()
    later = riky_client.get("/mijn/inzage/", {"van": tomorrow}).content.decode()
    assert rows(later) == []
    assert "Geen vastleggingen die bij het filter passen." in later


def test_a_wrong_period_is_explained_at_its_field(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.get("/mijn/inzage/", {"van": "gisteren"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_van-fout">Vul een datum in' in page
    assert 'aria-describedby="id_van-fout"' in page
    response = riky_client.get("/mijn/inzage/", {"van": "2026-03-02", "tot": "2026-03-01"})
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_a_representative_shows_as_someone_acting_for_her_not_by_name(
    portal_world: PortalWorld, login_as, riky_client: Client
) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(portal_world.riky.uuid)})
    seen_by_daan = daan.get("/mijn/inzage/").content.decode()
    assert total_on(seen_by_daan) == log_count(portal_world.riky)
    assert "Iemand die namens u handelt" in rows(seen_by_daan)[0]
    page = riky_client.get("/mijn/inzage/").content.decode()
    assert "Iemand die namens u handelt" in page
    assert "demo-inwoner-daan" not in page


def test_another_resident_sees_only_their_own_log(
    portal_world: PortalWorld, other_client: Client
) -> None:
    reads_by_three_organisations(portal_world.riky)
    page = other_client.get("/mijn/inzage/").content.decode()
    assert total_on(page) == log_count(portal_world.other) == len(rows(page))
    assert "UWV" not in page
