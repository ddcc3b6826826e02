"""My cases on the personal page: every case at every organisation in the resident's
words, with the next step, the expected date and whom to call; offers, provider choice
and second opinion; and no way to reach another resident's case by its id."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from klantocratie.cases import choices, services
from klantocratie.cases.models import Case, CaseEvent, CaseOffer, OfferState, SecondOpinion
from klantocratie.cases.packs import load_case_types
from klantocratie.parties.models import Party
from klantocratie.portal import selectors_cases
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import ProcessingLogRecord
from tests.cases.conftest import worker
from tests.cases.test_services import fine, permit, through_advice, wmo
from tests.support.portal import PortalWorld

CASES = "/mijn/zaken/"


def with_case_types(portal_world: PortalWorld) -> PortalWorld:
    """The portal world with the demo pack's case types loaded."""
    load_case_types(django_settings.DEMO_PACK_DIR / "cases")
    return portal_world


@pytest.fixture
def world(portal_world: PortalWorld) -> PortalWorld:
    return with_case_types(portal_world)


def case_url(case: Case, action: str = "") -> str:
    return f"{CASES}{case.uuid}/{action + '/' if action else ''}"


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def acting_for_riky(login_as: Callable[[str], Client], world: PortalWorld) -> Client:
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(world.riky.uuid)})
    return daan


# --- the list -------------------------------------------------------------------------


def test_the_list_shows_every_case_at_every_organisation_in_resident_language(
    world: PortalWorld, riky_client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        # Its status event also reports it to the regional register.
        case = permit(world.riky)
    assert case.identification in str(
        selectors_cases.gate.read(
            AccessContext(
                actor="demo-kcc",
                role="kcc_agent",
                organisation="gemeente-almelo",
                activity="kcc-dienstverlening",
            ),
            world.riky,
            ["cases.open"],
        )
        .values["cases.open"]
        .value
    )
    page = page_of(riky_client, CASES)
    assert "We hebben uw aanvraag ontvangen. We kijken eerst of hij compleet is." in page
    assert "Hierna: in behandeling." in page
    assert f'<time datetime="{case.planned_end:%Y-%m-%d}">' in page
    # The partner organisations' cases from the regional register, with their dates.
    assert "Herbeoordeling WW-uitkering (inkomsten uit onderneming)" in page
    assert "Reparatieverzoek lekkage badkamer" in page and "UWV" in page
    # The case system reports its cases to the register too; each shows once.
    assert page.count(f'<span class="muted">{case.identification}</span>') == 1
    assert f'href="{case_url(case)}"' in page


def test_open_cases_come_first_and_closed_ones_after(
    world: PortalWorld, riky_client: Client
) -> None:
    closed = choices.complete_at_first_line(
        AccessContext(
            actor="demo-kcc",
            role="kcc_agent",
            organisation="gemeente-almelo",
            activity="kcc-dienstverlening",
        ),
        case_type="melding-openbare-ruimte",
        clients=[services.Client(world.riky)],
        description="Losse stoeptegel",
        result="uitgevoerd",
    )
    running = permit(world.riky)
    page = page_of(riky_client, CASES)
    assert page.index(running.identification) < page.index(closed.identification)
    assert "Afgerond op" in page and "Uw melding is afgehandeld. Bedankt!" in page


def test_the_list_is_paginated(world: PortalWorld, riky_client: Client) -> None:
    for _ in range(8):
        permit(world.riky)
    first = page_of(riky_client, CASES)
    assert "Pagina 1 van 2" in first
    second = page_of(riky_client, f"{CASES}?pagina=2")
    assert "Pagina 2 van 2" in second
    numbers = set(Case.objects.values_list("identification", flat=True))
    on_first = {n for n in numbers if n in first}
    on_second = {n for n in numbers if n in second}
    assert on_first and on_second and not on_first & on_second
    assert "Pagina 1 van 2" in page_of(riky_client, f"{CASES}?pagina=onzin")


def test_a_resident_without_cases_sees_an_empty_state(
    world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    # A business has no cases in the regional register (it is keyed on BSN).
    page = page_of(login_as("demo-ondernemer"), CASES)
    assert "U hebt geen zaken bij de gemeente of haar partners." in page


def test_a_business_sees_its_cases_by_kvk_and_not_its_owners(
    world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    own = permit(world.riky)
    business_case = services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(world.business)],
        description="Reclamebord aan de gevel",
        properties={"bouwhoogte": 3, "monument": False, "gebied": "regulier"},
    )
    business = login_as("demo-ondernemer")
    page = page_of(business, CASES)
    assert business_case.identification in page and own.identification not in page
    assert "Reclamebord aan de gevel" in page_of(business, case_url(business_case))
    assert business.get(case_url(own)).status_code == 404


def test_reading_the_list_is_in_the_residents_processing_log(
    world: PortalWorld, riky_client: Client
) -> None:
    permit(world.riky)
    before = ProcessingLogRecord.objects.filter(operation="eigen zaken inzien").count()
    page_of(riky_client, CASES)
    # One record for the case system, one for the regional register.
    assert ProcessingLogRecord.objects.filter(operation="eigen zaken inzien").count() == before + 2


def test_the_old_address_moved_permanently(world: PortalWorld, riky_client: Client) -> None:
    response = riky_client.get("/zaken/mijn/")
    assert response.status_code == 301 and response["Location"] == CASES


# --- one case ------------------------------------------------------------------------


def test_a_case_shows_its_history_next_step_and_expected_date(
    world: PortalWorld, riky_client: Client
) -> None:
    case = permit(world.riky)
    services.complete_task(
        worker(), case.tasks.get(task_type__code="volledigheid"), {"compleet": True}
    )
    services.set_status(worker(), case, "in-behandeling")
    page = page_of(riky_client, case_url(case))
    history = page[page.index('id="geschiedenis"') :]
    assert history.index("We hebben uw aanvraag ontvangen") < history.index(
        "Uw aanvraag is compleet en in behandeling."
    )
    assert "Hierna: advies gevraagd." in page
    assert f'<time datetime="{case.planned_end:%Y-%m-%d}">' in page
    assert f'<time datetime="{case.deadline:%Y-%m-%d}">' in page and "wettelijke termijn" in page
    # The case type's incoming document types can be sent; outgoing ones cannot.
    assert '<option value="tekening"' in page and '<option value="besluit"' not in page


def test_the_contact_person_has_a_direct_line_else_the_general_number(
    world: PortalWorld, riky_client: Client
) -> None:
    case = permit(world.riky)
    page = page_of(riky_client, case_url(case))
    assert "nog geen vaste contactpersoon" in page and 'href="tel:140546"' in page
    services.assign(worker(), case, User.objects.get(username="demo-zaak"))
    page = page_of(riky_client, case_url(case))
    assert "Uw contactpersoon is <strong>Zeynep Bakker</strong> van Gemeente Almelo" in page
    assert "Direct nummer" in page and 'href="tel:0546541234"' in page
    assert "zeynep.bakker@almelo.example" in page


def test_contact_persons_of_open_cases_for_the_overview(world: PortalWorld) -> None:
    assigned, unassigned = permit(world.riky), permit(world.riky)
    services.assign(worker(), assigned, User.objects.get(username="demo-zaak"))
    ctx = AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=world.riky.pk,
    )
    persons = selectors_cases.contact_persons(ctx, world.riky)
    assert [(p.case, p.name, p.phone, p.direct) for p in persons] == [
        (assigned, "Zeynep Bakker", "0546 54 12 34", True)
    ]
    assert unassigned not in [p.case for p in persons]


def test_status_notices_show_on_the_case(
    world: PortalWorld, riky_client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = permit(world.riky)
    page = page_of(riky_client, case_url(case))
    assert "Berichten over deze zaak" in page
    assert "Laatste berichten" in page_of(riky_client, CASES)


# --- offers, provider, second opinion ------------------------------------------------------


def test_the_resident_accepts_an_offer(world: PortalWorld, riky_client: Client) -> None:
    case = fine(world.riky)
    page = page_of(riky_client, case_url(case))
    assert "10% korting" in page and "Kies of u het aanbod aanneemt" in page
    offer = case.offers.get(offer_type__code="cursus")
    response = riky_client.post(
        case_url(case, "aanbod"), {"aanbod": str(offer.uuid), "antwoord": "ja"}, follow=True
    )
    assert "U hebt het aanbod aangenomen." in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED
    assert case.offers.get(offer_type__code="parkeervergunning").state == OfferState.EXPIRED


def test_the_resident_declines_an_offer_and_cannot_answer_twice(
    world: PortalWorld, riky_client: Client
) -> None:
    case = fine(world.riky)
    offer = case.offers.get(offer_type__code="parkeervergunning")
    riky_client.post(case_url(case, "aanbod"), {"aanbod": str(offer.uuid), "antwoord": "nee"})
    offer.refresh_from_db()
    assert offer.state == OfferState.DECLINED and offer.follow_up is None
    response = riky_client.post(
        case_url(case, "aanbod"), {"aanbod": str(offer.uuid), "antwoord": "ja"}
    )
    assert response.status_code == 400
    assert "Dit aanbod is al afgewezen." in response.content.decode()
    assert CaseOffer.objects.get(pk=offer.pk).state == OfferState.DECLINED


def test_an_answer_must_be_given_and_an_unknown_offer_is_not_found(
    world: PortalWorld, riky_client: Client
) -> None:
    case = fine(world.riky)
    offer = case.offers.first()
    response = riky_client.post(case_url(case, "aanbod"), {"aanbod": str(offer.uuid)})
    assert response.status_code == 400
    assert "Kies of u het aanbod aanneemt of niet." in response.content.decode()
    other_case = fine(world.riky)
    response = riky_client.post(
        case_url(other_case, "aanbod"), {"aanbod": str(offer.uuid), "antwoord": "ja"}
    )
    assert response.status_code == 404
    assert riky_client.post(case_url(case, "onzin")).status_code == 404


def test_the_resident_chooses_a_provider_and_may_switch_only_after_its_term(
    world: PortalWorld, riky_client: Client
) -> None:
    case = wmo(world.riky)
    assert "Kies wie u helpt." in page_of(riky_client, CASES)
    response = riky_client.post(case_url(case, "aanbieder"), {})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="aanbieder-fout">Kies een aanbieder.' in page
    assert 'aria-describedby="aanbieder-fout"' in page
    riky_client.post(case_url(case, "aanbieder"), {"aanbieder": "gemeente"})
    case.refresh_from_db()
    assert case.provider.code == "gemeente"
    response = riky_client.post(case_url(case, "aanbieder"), {"aanbieder": "woonstichting"})
    assert response.status_code == 400 and "wisselen" in response.content.decode()
    Case.objects.filter(pk=case.pk).update(
        provider_chosen_at=timezone.now() - timedelta(days=case.provider.response_days + 1)
    )
    riky_client.post(case_url(case, "aanbieder"), {"aanbieder": "woonstichting"})
    case.refresh_from_db()
    assert case.provider.code == "woonstichting"
    assert CaseEvent.objects.filter(case=case, kind="provider").count() == 2


def test_a_second_opinion_is_offered_only_after_an_advice(
    world: PortalWorld, riky_client: Client
) -> None:
    case = permit(world.riky)
    assert "Vraag een second opinion" not in page_of(riky_client, case_url(case))
    through_advice(case, "Welstandscommissie Oost", ["kleur"])
    page = page_of(riky_client, case_url(case))
    assert "Vraag een second opinion" in page and "350,00" in page
    assert "<option>Welstandscommissie Oost</option>" not in page
    response = riky_client.post(
        case_url(case, "second-opinion"), {"commissie": "Welstandscommissie Oost"}
    )
    assert response.status_code == 400 and 'id="commissie-fout"' in response.content.decode()
    riky_client.post(case_url(case, "second-opinion"), {"commissie": "Het Oversticht"})
    case.refresh_from_db()
    assert case.second_opinion.committee == "Het Oversticht"
    page = page_of(riky_client, case_url(case))
    assert "Vraag een second opinion" not in page and "U vroeg op" in page


# --- access ----------------------------------------------------------------------------


def test_another_resident_cannot_see_or_act_on_rikys_case(
    world: PortalWorld, other_client: Client
) -> None:
    case = fine(world.riky)
    wmo_case, permit_case = wmo(world.riky), permit(world.riky)
    through_advice(permit_case, "Welstandscommissie Oost")
    offer = case.offers.first()
    assert case.identification not in page_of(other_client, CASES)
    assert other_client.get(case_url(case)).status_code == 404
    posts = [
        (case_url(case, "aanbod"), {"aanbod": str(offer.uuid), "antwoord": "ja"}),
        (case_url(wmo_case, "aanbieder"), {"aanbieder": "gemeente"}),
        (case_url(permit_case, "second-opinion"), {"commissie": "Het Oversticht"}),
        (case_url(permit_case, "upload"), {"documenttype": "tekening", "titel": "x"}),
    ]
    for url, data in posts:
        assert other_client.post(url, data).status_code == 404, url
    assert CaseOffer.objects.get(pk=offer.pk).state == OfferState.OFFERED
    assert Case.objects.get(pk=wmo_case.pk).provider is None
    assert not SecondOpinion.objects.filter(case=permit_case).exists()
    assert not permit_case.documents.exists()


def test_daan_acts_for_riky_on_her_cases(
    world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    case = fine(world.riky)
    daan = acting_for_riky(login_as, world)
    assert case.identification in page_of(daan, CASES)
    offer = case.offers.get(offer_type__code="cursus")
    daan.post(case_url(case, "aanbod"), {"aanbod": str(offer.uuid), "antwoord": "ja"})
    assert CaseOffer.objects.get(pk=offer.pk).state == OfferState.ACCEPTED
    assert CaseEvent.objects.filter(case=case, actor="demo-inwoner-daan").exists()


def test_daan_on_his_own_page_does_not_reach_rikys_case(
    world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    case = permit(world.riky)
    daan = login_as("demo-inwoner-daan")
    assert daan.get(case_url(case)).status_code == 404


def test_a_party_that_is_not_a_client_of_the_case_is_refused(world: PortalWorld) -> None:
    other_party: Party = world.other
    case = permit(world.riky)
    ctx = AccessContext(
        actor="demo-ander",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=other_party.pk,
    )
    assert selectors_cases.case_of(ctx, other_party, str(case.uuid)) is None
