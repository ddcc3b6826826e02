"""The figures per product and per provider: averages and walk-aways, nothing shown
over fewer than ten reactions, no party ever named; for staff only."""

from collections.abc import Callable

import pytest
from django.test import Client

from klantocratie.feedback import selectors
from klantocratie.feedback.models import ExitReason, Feedback, FeedbackKind
from klantocratie.registry.models import Organisation

from .conftest import PortalWorld


def _answers(party, product: str, scores: list[int]) -> None:  # type: ignore[no-untyped-def]
    Feedback.objects.bulk_create(
        Feedback(
            kind=FeedbackKind.CONTACT_SATISFACTION,
            party=party,
            given_by="test",
            score=score,
            product=product,
            reference=f"KC-{product}-{n}",
        )
        for n, score in enumerate(scores)
    )


def _exits(party, reasons: list[str]) -> None:  # type: ignore[no-untyped-def]
    municipality = Organisation.objects.get(code="gemeente-almelo")
    Feedback.objects.bulk_create(
        Feedback(
            kind=FeedbackKind.PROVIDER_EXIT,
            party=party,
            given_by="test",
            exit_reason=reason,
            product="wmo-voorziening",
            case_type="wmo-ondersteuning",
            organisation=municipality,
            provider=municipality,
            provider_code="gemeente",
        )
        for reason in reasons
    )


@pytest.fixture
def answered(portal_world: PortalWorld) -> PortalWorld:
    riky = portal_world.riky
    _answers(riky, "paspoort", [5, 4, 4, 5, 3, 4, 5, 4, 4, 2])  # ten answers, average 4.0
    _answers(riky, "parkeervergunning", [1, 2, 2, 1, 3, 2, 1, 2, 1])  # nine: too few
    _exits(riky, [ExitReason.NO_CONTACT] * 10 + [ExitReason.TOO_SLOW] * 2)
    return portal_world


def test_figures_suppress_products_with_fewer_than_ten_reactions(
    answered: PortalWorld,
) -> None:
    figures = selectors.figures()
    by_product = {row.label: row for row in figures.products}
    assert (by_product["paspoort"].answers, by_product["paspoort"].average) == (10, 4.0)
    assert by_product["parkeervergunning"].answers is None
    assert by_product["parkeervergunning"].average is None


def test_walk_aways_count_for_the_provider_left_with_their_common_reasons(
    answered: PortalWorld,
) -> None:
    (provider,) = selectors.figures().providers
    assert provider.label == "Gemeente Almelo"
    assert provider.exits == 12
    assert provider.answers == 0 and provider.average is None
    # "Het duurde te lang" was named twice: too few to show on its own.
    assert [(r.label, r.count) for r in provider.reasons] == [
        ("De aanbieder nam geen contact met mij op", 10)
    ]
    assert provider.reasons_left_out


def test_fewer_than_ten_walk_aways_show_no_number_and_no_reasons(
    portal_world: PortalWorld,
) -> None:
    _exits(portal_world.riky, [ExitReason.NO_CONTACT] * 9)
    (provider,) = selectors.figures().providers
    assert provider.exits is None and provider.reasons == []


def test_the_figures_page_shows_numbers_and_hides_small_ones(
    answered: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    client = Client()
    client.post("/accounts/demo/demo-beleid/")
    page = client.get("/mijn/feedback/cijfers/").content.decode()
    assert "<h1>Tevredenheid per product en aanbieder</h1>" in page
    assert "paspoort" in page and "4,0" in page
    assert "te weinig reacties" in page
    assert "De aanbieder nam geen contact met mij op: 10" in page
    assert "Het duurde te lang" not in page
    # No party is named: not the resident's BSN, nor who filled it in.
    assert answered.bsn(answered.riky) not in page
    assert str(answered.riky.uuid) not in page


def test_the_figures_page_has_an_empty_state(portal_world: PortalWorld) -> None:
    client = Client()
    client.post("/accounts/demo/demo-zaak/")
    page = client.get("/mijn/feedback/cijfers/?periode=90").content.decode()
    assert "Nog geen reacties in deze periode." in page


@pytest.mark.parametrize("username", ["demo-beleid", "demo-zaak"])
def test_policy_analysts_and_case_workers_see_the_figures(
    portal_world: PortalWorld, username: str
) -> None:
    client = Client()
    client.post(f"/accounts/demo/{username}/")
    assert client.get("/mijn/feedback/cijfers/").status_code == 200


def test_residents_and_other_staff_do_not_see_the_figures(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    assert riky_client.get("/mijn/feedback/cijfers/").status_code == 403
    desk = Client()
    desk.post("/accounts/demo/demo-kcc/")
    assert desk.get("/mijn/feedback/cijfers/").status_code == 403
    anonymous = Client().get("/mijn/feedback/cijfers/")
    assert anonymous.status_code == 302
