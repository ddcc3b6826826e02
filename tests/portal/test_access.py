"""Logging in to the personal page, and acting for someone else only with an authorisation."""

import pytest
from django.test import Client

from klantocratie.parties.models import Authorisation
from klantocratie.parties.services import withdraw_authorisation
from klantocratie.privacy import gate
from klantocratie.privacy.errors import AccessDenied
from tests.support.portal import PortalWorld


def test_the_portal_sends_a_visitor_to_its_own_login_page(portal_world: PortalWorld) -> None:
    response = Client().get("/mijn/namens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/mijn/inloggen/?next=/mijn/namens/")


def test_the_login_page_offers_each_demo_resident_and_the_business(
    portal_world: PortalWorld,
) -> None:
    page = Client().get("/mijn/inloggen/").content.decode()
    for username in ("demo-inwoner", "demo-inwoner-daan", "demo-ouder", "demo-ondernemer"):
        assert f'data-username="{username}"' in page


def test_staff_cannot_open_the_personal_page(portal_world: PortalWorld) -> None:
    client = Client()
    client.post("/accounts/demo/demo-kcc/")
    assert client.get("/mijn/").status_code == 403


def test_a_resident_can_act_for_whom_they_hold_an_authorisation_from(
    portal_world: PortalWorld, login_as
) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    page = daan.get("/mijn/namens/").content.decode()
    assert str(portal_world.riky.uuid) in page
    assert "Hendrika Johanna ter Horst" in page
    response = daan.post("/mijn/namens/", {"subject": str(portal_world.riky.uuid)}, follow=True)
    assert (
        "U handelt namens <strong>Hendrika Johanna ter Horst</strong>" in response.content.decode()
    )


def test_nobody_acts_for_someone_without_an_authorisation(
    portal_world: PortalWorld, login_as
) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    response = daan.post("/mijn/namens/", {"subject": str(portal_world.other.uuid)}, follow=True)
    page = response.content.decode()
    assert "U kunt niet namens deze persoon of organisatie handelen." in page
    assert "U handelt namens" not in page


def test_a_withdrawn_machtiging_stops_working_on_the_next_page(
    portal_world: PortalWorld, login_as
) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(portal_world.riky.uuid)})
    authorisation = Authorisation.objects.get(represented=portal_world.riky)
    withdraw_authorisation(authorisation, by=portal_world.riky)
    page = daan.get("/mijn/", follow=True).content.decode()
    assert "U kunt niet meer namens deze persoon handelen" in page
    assert "U handelt namens" not in page


def test_a_parent_acts_for_a_minor_child(portal_world: PortalWorld, login_as) -> None:  # type: ignore[no-untyped-def]
    parent = login_as("demo-ouder")
    page = parent.get("/mijn/namens/").content.decode()
    assert str(portal_world.child.uuid) in page
    assert "ouderlijk gezag" in page


def test_a_resident_gives_a_machtiging_that_the_other_can_then_use(
    portal_world: PortalWorld, riky_client: Client, other_client: Client
) -> None:
    other_bsn = portal_world.bsn(portal_world.other)
    response = riky_client.post(
        "/mijn/machtigingen/",
        {"bsn": other_bsn, "valid_to": "31-12-2026", "understood": "on"},
    )
    assert response.status_code == 302
    authorisation = Authorisation.objects.get(
        representative=portal_world.other, represented=portal_world.riky
    )
    assert authorisation.kind == "machtiging"
    assert str(portal_world.riky.uuid) in other_client.get("/mijn/namens/").content.decode()
    # Withdrawing is one click on the same page.
    riky_client.post(f"/mijn/machtigingen/{authorisation.uuid}/intrekken/")
    assert str(portal_world.riky.uuid) not in other_client.get("/mijn/namens/").content.decode()


def test_a_machtiging_needs_a_valid_bsn_a_sane_end_and_understanding(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.post(
        "/mijn/machtigingen/", {"bsn": "123456789", "valid_to": "01-01-2040"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_bsn-fout"' in page and 'id="id_valid_to-fout"' in page
    assert "hoogstens vijf jaar" in page and 'id="id_understood-fout"' in page
    own = portal_world.bsn(portal_world.riky)
    response = riky_client.post(
        "/mijn/machtigingen/", {"bsn": own, "valid_to": "31-12-2026", "understood": "on"}
    )
    assert "Iemand kan zichzelf niet machtigen." in response.content.decode()
    assert (
        not Authorisation.objects.filter(represented=portal_world.riky, kind="machtiging")
        .exclude(representative=portal_world.daan)
        .exists()
    )


def test_nobody_withdraws_a_machtiging_that_is_not_theirs(
    portal_world: PortalWorld, other_client: Client, login_as
) -> None:  # type: ignore[no-untyped-def]
    authorisation = Authorisation.objects.get(represented=portal_world.riky)
    assert (
        other_client.post(f"/mijn/machtigingen/{authorisation.uuid}/intrekken/").status_code == 404
    )
    parental = Authorisation.objects.get(kind="gezag")
    response = login_as("demo-ouder").post(
        f"/mijn/machtigingen/{parental.uuid}/intrekken/", follow=True
    )
    assert "Alleen een machtiging die u zelf gaf of kreeg" in response.content.decode()
    authorisation.refresh_from_db()
    parental.refresh_from_db()
    assert authorisation.withdrawn_at is None and parental.withdrawn_at is None


def test_acting_for_someone_reaches_their_data_through_the_gate_only_while_authorised(
    portal_world: PortalWorld,
) -> None:
    ctx = gate.AccessContext(
        actor="demo-inwoner-daan",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=portal_world.daan.pk,
    )
    assert gate.read(ctx, portal_world.riky, ["person.name"]).values
    withdraw_authorisation(
        Authorisation.objects.get(represented=portal_world.riky), by=portal_world.daan
    )
    with pytest.raises(AccessDenied):
        gate.read(ctx, portal_world.riky, ["person.name"])
    with pytest.raises(AccessDenied):
        gate.read(ctx, portal_world.other, ["person.name"])
