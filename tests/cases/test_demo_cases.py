"""The demo municipality's cases: made through the services, once, the same every load, and
visible where the demo tells its story (the work queue, the regional case-status index)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from klantocratie.cases.demo import load_demo_cases
from klantocratie.cases.models import Case, CaseEvent, CaseOffer, CaseTypeVersion, OfferState
from klantocratie.cases.selectors import (
    QueueFilter,
    cases_for_identifier,
    deadline_warning,
    work_queue,
)
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.models import ProcessingLogRecord
from tests.frontoffice.conftest import kcc

pytestmark = pytest.mark.django_db

PACK = Path(settings.DEMO_PACK_DIR)


def _resident_cases() -> dict[str, Case]:
    return {
        case.case_type_version.case_type.identification: case
        for case in cases_for_identifier("bsn", DEMO_RESIDENT_BSN)
    }


def _signature() -> list[tuple[object, ...]]:
    """What makes a demo case, apart from its number (the number series keeps counting)."""
    return sorted(
        (
            case.case_type_version.case_type.identification,
            case.description,
            case.roles.get().identifier,
            case.start_date,
            case.current_status and case.current_status.status_type.code,
            case.assigned_to_id,
            tuple(sorted(case.properties.items())),
        )
        for case in Case.objects.select_related("current_status__status_type")
    )


def test_loading_twice_adds_nothing_and_the_same_input_gives_the_same_cases(
    case_types: Party,
) -> None:
    load_demo_cases(PACK)
    first = _signature()
    events = CaseEvent.objects.count()
    assert len(first) > 30
    load_demo_cases(PACK)
    assert _signature() == first
    assert CaseEvent.objects.count() == events

    Case.objects.all().delete()
    load_demo_cases(PACK)
    assert _signature() == first


def test_every_case_type_has_demo_cases_made_through_the_gate(case_types: Party) -> None:
    registered = ProcessingLogRecord.objects.filter(operation="zaak registreren").count()
    summary = load_demo_cases(PACK)
    assert {c.case_type_version.case_type.identification for c in Case.objects.all()} == set(
        CaseTypeVersion.objects.values_list("case_type__identification", flat=True)
    )
    assert (
        ProcessingLogRecord.objects.filter(operation="zaak registreren").count()
        == registered + Case.objects.count()
    )
    # Several statuses per case type, open and closed.
    for identification in ("omgevingsvergunning-bouwen", "wmo-ondersteuning"):
        cases = Case.objects.filter(case_type_version__case_type__identification=identification)
        assert cases.values("current_status__status_type").distinct().count() >= 3
        assert cases.filter(end_date__isnull=False).exists()
    assert f"{Case.objects.count()} zaken" in summary


def test_the_demo_resident_has_cases_at_two_organisations_at_their_demo_steps(
    case_types: Party,
) -> None:
    load_demo_cases(PACK)
    cases = _resident_cases()
    assert {c.organisation.code for c in cases.values()} >= {"gemeente-almelo", "gbtwente"}

    permit = cases["omgevingsvergunning-bouwen"]
    assert permit.current_status is not None and permit.is_open
    assert permit.current_status.status_type.code == "advies"
    advice = permit.tasks.get(task_type__code="welstandsadvies")
    assert advice.state == "done" and advice.data["commissie"] == "Welstandscommissie Oost"
    # A second opinion can still be asked: none yet, and within the term after the advice.
    term = permit.case_type_version.second_opinion_rule.request_days
    assert not hasattr(permit, "second_opinion")
    assert advice.completed_at is not None
    assert timezone.now() - advice.completed_at < timedelta(days=term)
    assert permit.assigned_to is not None and permit.assigned_to.username == "demo-zaak"

    wmo = cases["wmo-ondersteuning"]
    assert wmo.is_open and wmo.provider is not None and wmo.provider_chosen_at is not None
    assert wmo.history.filter(kind="provider", actor="demo-inwoner").exists()

    report = cases["melding-openbare-ruimte"]
    assert not report.is_open and report.result.result_type.code == "uitgevoerd"


def test_the_parking_fine_has_open_offers_on_its_amount(case_types: Party) -> None:
    load_demo_cases(PACK)
    fine = _resident_cases()["naheffing-parkeerbelasting"]
    assert fine.organisation.code == "gbtwente" and fine.is_open
    assert fine.result.result_type.code == "opgelegd"
    assert fine.properties["bedrag"] == 77.4
    offers = CaseOffer.objects.filter(case=fine, state=OfferState.OFFERED)
    assert {o.offer_type.code for o in offers} == {"parkeervergunning", "cursus"}
    assert all(o.expires_on > timezone.localdate() for o in offers)


def test_the_work_queue_has_open_cases_with_deadline_warnings(case_types: Party) -> None:
    load_demo_cases(PACK)
    worker = User.objects.get(username="demo-zaak")
    queue = list(work_queue(QueueFilter(organisation="gemeente-almelo"), worker.pk))
    assert 20 <= len(queue) <= 40
    warnings = [deadline_warning(case) for case in queue]
    assert warnings.count("overdue") >= 3 and warnings.count("soon") >= 3
    assert warnings.count("") >= 5
    mine = work_queue(QueueFilter(organisation="gemeente-almelo", assignee="me"), worker.pk)
    nobody = work_queue(QueueFilter(organisation="gemeente-almelo", assignee="none"), worker.pk)
    assert mine.exists() and nobody.exists()
    overdue = work_queue(QueueFilter(organisation="gemeente-almelo", due="overdue"), worker.pk)
    assert overdue.count() == warnings.count("overdue")


def test_the_case_status_index_shows_the_demo_residents_open_cases(
    case_types: Party, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_cases(PACK)
    result = gate.read(kcc(), case_types, ["cases.open"])
    listed = {row["zaaknummer"]: row for row in result.values["cases.open"].value}
    cases = _resident_cases().values()
    open_numbers = {c.identification for c in cases if c.is_open}
    assert len(open_numbers) == 3 and open_numbers <= set(listed)
    closed = {c.identification for c in cases if not c.is_open}
    assert closed and not closed & set(listed)
    fine = _resident_cases()["naheffing-parkeerbelasting"]
    assert listed[fine.identification]["organisatie"] == fine.organisation.name
    assert listed[fine.identification]["status"] == "Opgelegd"
