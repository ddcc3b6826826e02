"""The participation pages: overview, following, a poll, its results; who may see what."""

from django.test import Client

from klantocratie.participation import services
from klantocratie.participation.models import Answer, PollNotice, PollStatus, Subscription, Theme

from .conftest import MakePoll, PortalWorld, resident_ctx

OVERVIEW = "/mijn/participatie/"
FOLLOW = "/mijn/participatie/volgen/"


def _poll_url(poll) -> str:  # type: ignore[no-untyped-def]
    return f"/mijn/participatie/peilingen/{poll.uuid}/"


def test_the_overview_shows_empty_states(world: PortalWorld, riky_client: Client) -> None:
    page = riky_client.get(OVERVIEW).content.decode()
    assert "<h1>Meedenken</h1>" in page
    assert "Er staan geen peilingen open over wat u volgt. U volgt nog niets." in page
    assert "U volgt nog geen thema's of raadsleden." in page
    assert "Er zijn nog geen gesloten peilingen." in page


def test_the_overview_lists_followed_and_other_polls_and_results(
    world: PortalWorld, riky_client: Client, make_poll: MakePoll
) -> None:
    services.subscribe(world.riky, theme=Theme.objects.get(code="afval"))
    followed = make_poll("Vaker legen", theme="afval")
    PollNotice.objects.create(party=world.riky, poll=followed)
    make_poll("Fietspad", theme="verkeer")
    closed = make_poll("Markt", theme="ondernemen")
    services.close_poll(closed)
    make_poll("Nog een concept", status=PollStatus.DRAFT)
    page = riky_client.get(OVERVIEW).content.decode()
    for_you, rest = page.split("<h2>Andere open peilingen</h2>")
    assert "Vaker legen" in for_you and "Nieuw" in for_you
    assert "Fietspad" in rest.split("<h2>Wat u volgt</h2>")[0]
    assert "Markt" in rest.split("<h2>Uitslagen</h2>")[1]
    assert "Nog een concept" not in page
    assert "Stop met volgen" in page


def test_following_prefills_the_address_and_saves_the_choice(
    world: PortalWorld, riky_client: Client
) -> None:
    page = riky_client.get(FOLLOW).content.decode()
    assert "<h1>Kies wat u volgt</h1>" in page and "Erik Nijhuis (Groen Twente)" in page
    suggested = services.email_on_file(resident_ctx(world.riky), world.riky)
    assert suggested and f'value="{suggested}"' in page
    afval = Theme.objects.get(code="afval")
    response = riky_client.post(
        FOLLOW,
        {"themes": [afval.pk], "wants_email": "on", "email": "riky@example.org"},
        follow=True,
    )
    assert "U volgt nu ook: Afval." in response.content.decode()
    subscription = Subscription.objects.get(party=world.riky)
    assert (subscription.theme, subscription.email) == (afval, "riky@example.org")
    # Unticking everything withdraws.
    response = riky_client.post(FOLLOW, {"email": ""}, follow=True)
    assert "U volgt niet meer: Afval." in response.content.decode()
    assert not Subscription.objects.filter(party=world.riky).exists()


def test_following_by_email_without_an_address_names_the_field(
    world: PortalWorld, riky_client: Client
) -> None:
    afval = Theme.objects.get(code="afval")
    page = riky_client.post(FOLLOW, {"themes": [afval.pk], "wants_email": "on", "email": ""})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_email-fout"' in text and "Vul uw e-mailadres in" in text
    assert 'aria-describedby="id_email-uitleg id_email-fout"' in text
    assert not Subscription.objects.exists()


def test_another_resident_cannot_stop_someone_elses_subscription(
    world: PortalWorld, riky_client: Client, other_client: Client
) -> None:
    subscription = services.subscribe(world.riky, theme=Theme.objects.get(code="afval"))
    url = f"/mijn/participatie/abonnementen/{subscription.uuid}/opzeggen/"
    assert other_client.post(url).status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert "Afval" not in other_client.get(OVERVIEW).content.decode().split("Wat u volgt")[1]
    assert riky_client.get(url).status_code == 405
    response = riky_client.post(url, follow=True)
    assert "U volgt Afval niet meer." in response.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_answering_on_the_page_then_seeing_the_interim_result(
    world: PortalWorld, riky_client: Client, make_poll: MakePoll
) -> None:
    poll = make_poll("Vaker legen")
    results_url = _poll_url(poll) + "uitslag/"
    response = riky_client.get(results_url, follow=True)
    assert "De uitslag ziet u nadat u heeft geantwoord" in response.content.decode()
    page = riky_client.get(_poll_url(poll)).content.decode()
    assert "Verstuur mijn antwoord" in page and "Uw antwoord is anoniem" in page
    page = riky_client.post(_poll_url(poll), {}).content.decode()
    assert "Kies een van de antwoorden." in page and 'id="id_option-fout"' in page
    yes = poll.options.get(label="Ja")
    response = riky_client.post(_poll_url(poll), {"option": yes.pk}, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == results_url
    assert "<h1>Tussenstand: Vaker legen</h1>" in text
    assert "minder dan 10" in text
    page = riky_client.get(_poll_url(poll)).content.decode()
    assert "U heeft deze peiling beantwoord." in page and "Verstuur mijn antwoord" not in page
    page = riky_client.post(_poll_url(poll), {"option": yes.pk}).content.decode()
    assert "U heeft deze peiling al beantwoord" in page
    assert Answer.objects.filter(poll=poll).count() == 1


def test_a_closed_poll_shows_its_result_to_everyone(
    world: PortalWorld, other_client: Client, make_poll: MakePoll
) -> None:
    poll = make_poll("Markt")
    services.answer_poll(resident_ctx(world.riky), world.riky, poll, poll.options.first().pk)
    services.close_poll(poll)
    page = other_client.get(_poll_url(poll)).content.decode()
    assert "Deze peiling is gesloten." in page and "Bekijk de uitslag" in page
    page = other_client.get(_poll_url(poll) + "uitslag/").content.decode()
    assert "<h1>Uitslag: Markt</h1>" in page
    assert "Waarom staan er geen getallen?" in page


def test_a_draft_poll_is_not_found(
    world: PortalWorld, riky_client: Client, make_poll: MakePoll
) -> None:
    poll = make_poll(status=PollStatus.DRAFT)
    assert riky_client.get(_poll_url(poll)).status_code == 404
    assert riky_client.get(_poll_url(poll) + "uitslag/").status_code == 404


def test_acting_for_someone_else_one_cannot_answer(
    world: PortalWorld, login_as, make_poll: MakePoll
) -> None:  # type: ignore[no-untyped-def]
    poll = make_poll("Vaker legen")
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(world.riky.uuid)})
    page = daan.get(_poll_url(poll)).content.decode()
    assert "Een peiling beantwoordt u alleen voor uzelf" in page
    assert "Verstuur mijn antwoord" not in page
    page = daan.post(_poll_url(poll), {"option": poll.options.first().pk}).content.decode()
    assert "niet namens iemand anders" in page
    assert not Answer.objects.exists()


def test_a_business_is_told_participation_is_for_residents(
    world: PortalWorld, login_as, make_poll: MakePoll
) -> None:  # type: ignore[no-untyped-def]
    business = login_as("demo-ondernemer")
    poll = make_poll()
    for url in (OVERVIEW, FOLLOW, _poll_url(poll), _poll_url(poll) + "uitslag/"):
        response = business.get(url)
        assert response.status_code == 200
        assert "Meedenken over peilingen is voor inwoners" in response.content.decode()
