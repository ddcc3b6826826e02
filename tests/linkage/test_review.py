"""The review queue: nobody named in the list, both records side by side through the
gate, decisions logged as changes, undo with a reason, and only for reviewers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from klantocratie.linkage.models import LinkStatus
from klantocratie.privacy import log
from klantocratie.privacy.models import AuditEntry, ProcessingLogRecord
from tests.linkage.conftest import PartnerWorld

pytestmark = pytest.mark.django_db


def test_the_queue_lists_references_and_certainty_but_no_names(
    partners: PartnerWorld, reviewer: Client
) -> None:
    link = partners.link(partners.record_of(partners.person, "M-77"))
    before = ProcessingLogRecord.objects.count()
    page = reviewer.get(reverse("linkage:queue")).content.decode()
    assert "M-77" in page and reverse("linkage:detail", args=[link.pk]) in page
    assert partners.person.surname not in page
    assert ProcessingLogRecord.objects.count() == before


def test_the_queue_is_empty_with_a_clear_message(partners: PartnerWorld, reviewer: Client) -> None:
    page = reviewer.get(reverse("linkage:queue")).content.decode()
    assert "Er wachten geen koppelingen op beoordeling" in page


def test_a_reviewer_sees_both_records_side_by_side_and_that_read_is_logged(
    partners: PartnerWorld, reviewer: Client
) -> None:
    record = partners.record_of(partners.person, "M-1", given_names="R.", postcode="7607XX")
    link = partners.link(record)
    before = ProcessingLogRecord.objects.count()
    page = reviewer.get(reverse("linkage:detail", args=[link.pk])).content.decode()
    assert "Zoals de partner het aanleverde" in page and "7607XX" in page
    assert partners.person.given_names in page  # the register's side
    assert "achternaam" in page and "93,0%" in page
    subject = log.pseudonymise("bsn", partners.person.bsn)
    logged = ProcessingLogRecord.objects.filter(sequence__gt=before, data_subject_id=subject)
    assert {r.processing_activity_id for r in logged} == {"koppelen-partnergegevens@1"}


def test_accepting_puts_the_record_in_the_persons_data_and_is_logged_as_a_change(
    partners: PartnerWorld, reviewer: Client
) -> None:
    record = partners.record_of(partners.person, "M-1")
    partners.report("M-1")
    link = partners.link(record)
    response = reviewer.post(
        reverse("linkage:decide", args=[link.pk]), {"besluit": "accepteren", "toelichting": ""}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.ACCEPTED and link.decided_by == "demo-koppel"
    change = AuditEntry.objects.filter(operation="change").latest("at")
    assert change.elements == ["linkage.candidates"] and change.actor == "demo-koppel"


def test_rejecting_needs_a_reason(partners: PartnerWorld, reviewer: Client) -> None:
    link = partners.link(partners.record_of(partners.person, "M-1"))
    response = reviewer.post(
        reverse("linkage:decide", args=[link.pk]), {"besluit": "afwijzen", "toelichting": " "}
    )
    assert response.status_code == 200
    assert "Geef een toelichting bij afwijzen" in response.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.REVIEW
    reviewer.post(
        reverse("linkage:decide", args=[link.pk]),
        {"besluit": "afwijzen", "toelichting": "Andere geboortedatum, broer."},
    )
    link.refresh_from_db()
    assert (link.status, link.decision_note) == (
        LinkStatus.REJECTED,
        "Andere geboortedatum, broer.",
    )


def test_a_link_in_force_can_be_undone_with_a_reason(
    partners: PartnerWorld, reviewer: Client
) -> None:
    link = partners.link(partners.record_of(partners.person, "M-1"), status=LinkStatus.AUTOMATIC)
    page = reviewer.get(reverse("linkage:detail", args=[link.pk])).content.decode()
    assert "Maak koppeling ongedaan" in page
    response = reviewer.post(
        reverse("linkage:decide", args=[link.pk]),
        {"besluit": "ongedaan-maken", "toelichting": "Partner meldt: verkeerde persoon."},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.UNDONE
    decided = reviewer.get(reverse("linkage:detail", args=[link.pk])).content.decode()
    assert "Partner meldt: verkeerde persoon." in decided


def test_a_decided_link_cannot_be_decided_again(partners: PartnerWorld, reviewer: Client) -> None:
    link = partners.link(partners.record_of(partners.person, "M-1"), status=LinkStatus.REJECTED)
    response = reviewer.post(
        reverse("linkage:decide", args=[link.pk]),
        {"besluit": "accepteren", "toelichting": ""},
        follow=True,
    )
    assert "bestaat niet (meer) in deze status" in response.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED


@pytest.mark.parametrize("username", ["demo-kcc", "demo-sociaal", "demo-inwoner"])
def test_other_roles_are_refused(partners: PartnerWorld, username: str) -> None:
    link = partners.link(partners.record_of(partners.person, "M-1"))
    client = Client()
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("linkage:queue")).status_code == 403
    assert client.get(reverse("linkage:detail", args=[link.pk])).status_code == 403
    client.post(reverse("linkage:decide", args=[link.pk]), {"besluit": "accepteren"})
    link.refresh_from_db()
    assert link.status == LinkStatus.REVIEW
