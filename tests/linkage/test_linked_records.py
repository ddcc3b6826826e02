"""A linked record shows up in the person's data with its certainty, counts in analysis
for that person, and disappears the moment its link is undone or while it waits."""

from __future__ import annotations

import pytest

from klantocratie.analytics.snapshot import analytics_context
from klantocratie.linkage.models import LinkMethod, LinkStatus
from klantocratie.privacy import gate, log
from klantocratie.privacy.gate import AccessContext
from tests.linkage.conftest import PartnerWorld

pytestmark = pytest.mark.django_db


def own_view(partners: PartnerWorld) -> AccessContext:
    return AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=partners.party.pk,
    )


def police_reports(partners: PartnerWorld) -> list[dict]:
    result = gate.read(own_view(partners), partners.party, ["police.reports"])
    return result.values["police.reports"].value or []


def test_a_linked_report_without_bsn_is_shown_with_how_sure_the_link_is(
    partners: PartnerWorld,
) -> None:
    partners.report("P-1")
    partners.link(partners.record_of(partners.person, "P-1"), status=LinkStatus.AUTOMATIC)
    (report,) = [r for r in police_reports(partners) if "koppeling" in r]
    assert report["omschrijving"] == "Geluidsoverlast gemeld"
    assert report["koppeling"] == ("zonder BSN aangeleverd; automatisch gekoppeld, zekerheid 93,0%")


def test_a_report_with_the_persons_own_bsn_carries_no_link_label(partners: PartnerWorld) -> None:
    partners.report("P-2", bsn=partners.person.bsn)
    partners.link(
        partners.record_of(partners.person, "P-2", bsn=partners.person.bsn),
        status=LinkStatus.AUTOMATIC,
        method=LinkMethod.BSN,
        match_probability=1.0,
    )
    own = [r for r in police_reports(partners) if r["omschrijving"] == "Geluidsoverlast gemeld"]
    assert len(own) == 1 and "koppeling" not in own[0]


@pytest.mark.parametrize("status", [LinkStatus.REVIEW, LinkStatus.REJECTED, LinkStatus.UNDONE])
def test_a_link_not_in_force_shows_nothing(partners: PartnerWorld, status: str) -> None:
    partners.report("P-3")
    partners.link(partners.record_of(partners.person, "P-3"), status=status)
    assert not [r for r in police_reports(partners) if "koppeling" in r]


def test_the_resident_sees_their_links_and_their_certainty(partners: PartnerWorld) -> None:
    partners.link(partners.record_of(partners.person, "P-4"), status=LinkStatus.ACCEPTED)
    result = gate.read(own_view(partners), partners.party, ["linkage.links"])
    (link,) = result.values["linkage.links"].value
    assert link["kenmerk"] == "P-4" and link["zekerheid"] == "93,0%"
    assert link["gekoppeld"] == "na beoordeling door een medewerker"


def test_analysis_attributes_a_linked_report_to_its_person_until_undone(
    partners: PartnerWorld,
) -> None:
    report = partners.report("P-5")
    link = partners.link(partners.record_of(partners.person, "P-5"), status=LinkStatus.AUTOMATIC)
    subject = log.pseudonymise("bsn", partners.person.bsn)

    def reports_of_person() -> list[tuple]:
        rows: list[tuple] = []
        gate.extract(
            analytics_context("proactieve-hulp", "gemeente-almelo"),
            ["police.reports"],
            rows.extend,
            parties=[partners.party],
        )
        return [row for row in rows if row[0] == subject and row[-1] == f"melding-{report.pk}"]

    assert len(reports_of_person()) == 1
    link.status = LinkStatus.UNDONE
    link.save()
    assert reports_of_person() == []
