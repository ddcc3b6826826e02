"""The feedback pages of the personal page: the questions, free text, one's feedback so
far, switching provider; empty states; and no resident ever reaching another's items."""

from collections.abc import Callable

import pytest
from django.test import Client

from klantocratie.cases.models import Case
from klantocratie.contacts.models import Contact
from klantocratie.feedback.models import ExitReason, Feedback, FeedbackKind

from .conftest import PortalWorld
from .test_services import riky_case, riky_contact, switchable_wmo

MINE = "/mijn/feedback/"


def test_the_page_asks_about_recent_contacts_and_closed_cases(
    feedback_world: PortalWorld, riky_client: Client
) -> None:
    page = riky_client.get(MINE).content.decode()
    assert page.count("<h1>") == 1 and "<h1>Feedback</h1>" in page
    for title in (
        "Parkeervergunning bewoners",
        "WW-uitkering en bijverdiensten",
        "Aanslag afvalstoffenheffing",
    ):
        assert f"“{title}”" in page
    assert "Verhuizing binnen Almelo" not in page  # still waiting for its callback
    assert page.count('value="5"') == 3 and "Zeer tevreden" in page
    assert "U hebt nog geen feedback gegeven." in page
    # The Wmo request's provider still has time to make contact.
    assert "Nu niet mogelijk" in page and "U kunt wisselen als" in page


def test_answering_a_question_thanks_and_shows_it_in_the_history(
    feedback_world: PortalWorld, riky_client: Client
) -> None:
    contact = riky_contact(feedback_world)
    response = riky_client.post(
        f"/mijn/feedback/contact/{contact.uuid}/",
        {"score": "4", "toelichting": "Goed uitgelegd."},
        follow=True,
    )
    assert response.redirect_chain == [(MINE, 302)]
    page = response.content.decode()
    assert "Dank u wel voor uw mening." in page
    assert "“Aanslag afvalstoffenheffing”" not in page
    assert "Tevreden (4 van 5)" in page and "Goed uitgelegd." in page
    given = Feedback.objects.get()
    assert given.party == feedback_world.riky and given.contact_uuid == contact.uuid


def test_a_question_answered_twice_or_without_a_score_gets_a_clear_error(
    feedback_world: PortalWorld, riky_client: Client
) -> None:
    contact = riky_contact(feedback_world)
    url = f"/mijn/feedback/contact/{contact.uuid}/"
    response = riky_client.post(url, {"score": "", "toelichting": "Hm."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies hoe tevreden u bent: een antwoord van 1 tot en met 5." in page
    assert f'aria-describedby="score-{contact.uuid}-fout"' in page
    assert "Hm." in page  # what was typed stays
    riky_client.post(url, {"score": "2"})
    again = riky_client.post(url, {"score": "5"})
    assert again.status_code == 400
    assert "U hebt deze vraag al beantwoord." in again.content.decode()
    assert Feedback.objects.get().score == 2
    # Opening an answered question goes back to the overview.
    assert riky_client.get(url).status_code == 302


def test_the_single_question_page_and_where_it_returns_to(
    feedback_world: PortalWorld, riky_client: Client
) -> None:
    permit = riky_case(feedback_world, "parkeervergunning")
    url = f"/mijn/feedback/zaak/{permit.uuid}/"
    page = riky_client.get(url).content.decode()
    assert "<h1>Hoe tevreden bent u?</h1>" in page and permit.identification in page
    outside = riky_client.post(url, {"score": "5", "next": "https://example.org/"})
    assert outside["Location"] == MINE


def test_an_embedding_page_gets_the_resident_back(
    feedback_world: PortalWorld, riky_client: Client
) -> None:
    contact = riky_contact(feedback_world)
    back = riky_client.post(
        f"/mijn/feedback/contact/{contact.uuid}/", {"score": "3", "next": "/mijn/contacten/"}
    )
    assert back["Location"] == "/mijn/contacten/"


def test_free_text_feedback(feedback_world: PortalWorld, riky_client: Client) -> None:
    empty = riky_client.post("/mijn/feedback/geven/", {"toelichting": " ", "organisatie": ""})
    assert empty.status_code == 400
    assert 'id="toelichting-fout">Schrijf uw feedback op.' in empty.content.decode()
    response = riky_client.post(
        "/mijn/feedback/geven/",
        {"toelichting": "Fijn dat alles op één plek staat.", "organisatie": "gemeente-almelo"},
    )
    assert response.status_code == 302
    given = Feedback.objects.get()
    assert given.kind == FeedbackKind.FREE_TEXT and given.organisation.code == "gemeente-almelo"


def test_a_business_gives_feedback_and_sees_empty_states(
    feedback_world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    business = login_as("demo-ondernemer")
    page = business.get(MINE).content.decode()
    assert "Er staan geen vragen voor u klaar." in page
    assert "U hebt geen lopende zaken waarbij u van aanbieder kunt wisselen." in page
    assert "U hebt nog geen feedback gegeven." in page
    business.post("/mijn/feedback/geven/", {"toelichting": "Snelle vergunning, dank."})
    assert Feedback.objects.get().party == feedback_world.business
    assert "Snelle vergunning, dank." in business.get(MINE).content.decode()


def test_feedback_for_someone_else_is_given_in_their_name_and_the_page_says_so(
    feedback_world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(feedback_world.riky.uuid)})
    page = daan.get(MINE).content.decode()
    assert "U geeft feedback namens <strong>Hendrika Johanna ter Horst</strong>" in page
    contact = riky_contact(feedback_world)
    daan.post(f"/mijn/feedback/contact/{contact.uuid}/", {"score": "5"})
    given = Feedback.objects.get()
    assert given.party == feedback_world.riky and given.given_by == "demo-inwoner-daan"


def test_switching_provider_on_the_page(feedback_world: PortalWorld, riky_client: Client) -> None:
    case = switchable_wmo(feedback_world)
    url = f"/mijn/feedback/aanbieder/{case.uuid}/"
    assert f'href="{url}"' in riky_client.get(MINE).content.decode()
    form = riky_client.get(url).content.decode()
    assert "<h1>Andere aanbieder kiezen</h1>" in form
    assert "Woonstichting Twente" in form and 'value="gemeente"' not in form
    refused = riky_client.post(url, {"aanbieder": "woonstichting", "reden": ""})
    assert refused.status_code == 400
    assert 'id="reden-fout">Kies waarom u van aanbieder wisselt.' in refused.content.decode()
    response = riky_client.post(
        url, {"aanbieder": "woonstichting", "reden": ExitReason.TOO_SLOW}, follow=True
    )
    assert "U bent overgestapt naar Woonstichting Twentehuis." in response.content.decode()
    case.refresh_from_db()
    assert case.provider is not None and case.provider.code == "woonstichting"
    exit_feedback = Feedback.objects.get(kind=FeedbackKind.PROVIDER_EXIT)
    assert exit_feedback.provider_code == "gemeente"


def test_the_portal_sends_a_visitor_to_its_login(feedback_world: PortalWorld) -> None:
    response = Client().get(MINE)
    assert response["Location"].startswith("/mijn/inloggen/?next=/mijn/feedback/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_resident_cannot_reach_rikys_contacts_or_cases(
    feedback_world: PortalWorld, other_client: Client, method: str
) -> None:
    """Every URL of this app that carries an id answers 404 for someone else's item,
    and nothing is stored or changed."""
    contact = riky_contact(feedback_world)
    permit = riky_case(feedback_world, "parkeervergunning")
    wmo = switchable_wmo(feedback_world)
    send = getattr(other_client, method)
    for url, data in (
        (f"/mijn/feedback/contact/{contact.uuid}/", {"score": "1"}),
        (f"/mijn/feedback/zaak/{permit.uuid}/", {"score": "1"}),
        (
            f"/mijn/feedback/aanbieder/{wmo.uuid}/",
            {"aanbieder": "woonstichting", "reden": ExitReason.OTHER},
        ),
    ):
        response = send(url, data)
        assert response.status_code == 404, url
        assert "Hendrika" not in response.content.decode()
    assert not Feedback.objects.exists()
    wmo.refresh_from_db()
    assert wmo.provider is not None and wmo.provider.code == "gemeente"
    assert Case.objects.filter(pk=wmo.pk, history__kind="provider").count() == 1
    # Nor does a made-up uuid or a running case get a question.
    assert other_client.get(f"/mijn/feedback/contact/{permit.uuid}/").status_code == 404
    building = riky_case(feedback_world, "omgevingsvergunning-bouwen")
    assert other_client.get(f"/mijn/feedback/zaak/{building.uuid}/").status_code == 404
    assert Contact.objects.filter(uuid=contact.uuid).exists()
