"""Following, publishing, answering once and closing: the participation services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.participation import selectors, services
from klantocratie.participation.models import (
    Answer,
    Breakdown,
    CouncilMember,
    PollNotice,
    PollStatus,
    Subscription,
    Theme,
)
from klantocratie.privacy.models import AuditEntry
from klantocratie.trends.areas import wijk_of

from .conftest import MakePoll, PortalWorld, resident_ctx


def _messages(error: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return error.value.message_dict[field]


# --- following -----------------------------------------------------------------------------


def test_a_resident_follows_a_theme_and_withdraws_as_easily(world: PortalWorld) -> None:
    afval = Theme.objects.get(code="afval")
    subscription = services.subscribe(
        world.riky, theme=afval, wants_email=True, email=" riky@example.org "
    )
    assert subscription.email == "riky@example.org"
    # Following again changes the e-mail choice; it does not add a second subscription.
    services.subscribe(world.riky, theme=afval, wants_email=False, email="riky@example.org")
    subscription.refresh_from_db()
    assert (subscription.wants_email, subscription.email) == (False, "")
    services.unsubscribe(subscription)
    assert not Subscription.objects.filter(party=world.riky).exists()


def test_following_needs_one_target_and_a_valid_address_for_email(world: PortalWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.subscribe(world.riky, wants_email=True, email="geen-adres")
    assert _messages(error, "target") == ["Kies één thema of één raadslid om te volgen."]
    assert "'geen-adres' is geen geldig e-mailadres" in _messages(error, "email")[0]
    with pytest.raises(ValidationError) as error:
        services.subscribe(world.riky, theme=Theme.objects.get(code="groen"), wants_email=True)
    assert _messages(error, "email") == [
        "Vul uw e-mailadres in, of kies ervoor geen e-mail te ontvangen."
    ]


def test_a_business_cannot_follow(world: PortalWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.subscribe(world.business, theme=Theme.objects.get(code="ondernemen"))
    assert _messages(error, "party") == [services.RESIDENTS_ONLY]


def test_a_theme_no_longer_in_the_pack_cannot_be_followed(world: PortalWorld) -> None:
    theme = Theme.objects.get(code="werk")
    theme.active = False
    theme.save()
    with pytest.raises(ValidationError) as error:
        services.subscribe(world.riky, theme=theme)
    assert _messages(error, "target") == ["Werk en inkomen is niet meer te volgen."]


def test_setting_the_choices_adds_and_withdraws_in_one_step(world: PortalWorld) -> None:
    afval, groen = Theme.objects.get(code="afval"), Theme.objects.get(code="groen")
    member = CouncilMember.objects.get(code="erik-nijhuis")
    services.subscribe(world.riky, theme=afval)
    changes = services.set_subscriptions(
        world.riky,
        themes=[groen],
        council_members=[member],
        wants_email=True,
        email="riky@example.org",
    )
    assert changes.added == ["Groen en klimaat", "Erik Nijhuis (Groen Twente)"]
    assert changes.removed == ["Afval"]
    subscriptions = list(selectors.subscriptions_of(world.riky))
    assert {str(s.target) for s in subscriptions} == {"Groen en klimaat", str(member)}
    assert {s.email for s in subscriptions} == {"riky@example.org"}


def test_a_subscription_of_someone_else_is_not_found(world: PortalWorld) -> None:
    subscription = services.subscribe(world.riky, theme=Theme.objects.get(code="afval"))
    assert selectors.subscription_of(world.other, subscription.uuid) is None
    assert selectors.subscription_of(world.riky, subscription.uuid) == subscription


def test_the_suggested_address_is_read_through_the_gate_once_given_kept(
    world: PortalWorld,
) -> None:
    before = AuditEntry.objects.count()
    suggested = services.email_on_file(resident_ctx(world.riky), world.riky)
    assert "@" in suggested
    assert AuditEntry.objects.count() == before + 1
    services.subscribe(
        world.riky,
        theme=Theme.objects.get(code="afval"),
        wants_email=True,
        email="mijn@example.org",
    )
    assert services.email_on_file(resident_ctx(world.riky), world.riky) == "mijn@example.org"
    assert AuditEntry.objects.count() == before + 1


# --- publishing ------------------------------------------------------------------------------


def test_publishing_notifies_followers_and_mails_only_those_who_asked(
    world: PortalWorld, make_poll: MakePoll, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    afval = Theme.objects.get(code="afval")
    member = CouncilMember.objects.get(code="erik-nijhuis")
    services.subscribe(world.riky, theme=afval, wants_email=True, email="riky@example.org")
    services.subscribe(
        world.riky, council_member=member, wants_email=True, email="riky@example.org"
    )
    services.subscribe(world.other, theme=afval)  # on the page only
    services.subscribe(
        world.daan,
        theme=Theme.objects.get(code="groen"),
        wants_email=True,
        email="daan@example.org",
    )
    poll = make_poll("Vaker legen", status=PollStatus.DRAFT, council_member=member)
    with django_capture_on_commit_callbacks(execute=True):
        notified = services.publish_poll(poll, by="griffie")
    assert notified == 2
    assert set(PollNotice.objects.values_list("party_id", flat=True)) == {
        world.riky.pk,
        world.other.pk,
    }
    # One message per address, although Riky follows both the theme and the member.
    assert [m.to for m in mailoutbox] == [["riky@example.org"]]
    message = mailoutbox[0]
    assert message.subject == "Nieuwe peiling: Vaker legen"
    assert f"/mijn/participatie/peilingen/{poll.uuid}/" in message.body
    assert "Afmelden doet u daar" in message.body
    poll.refresh_from_db()
    assert (poll.status, poll.published_by) == (PollStatus.PUBLISHED, "griffie")


def test_publishing_checks_the_draft(world: PortalWorld, make_poll: MakePoll) -> None:
    poll = make_poll(
        "Te laat",
        status=PollStatus.DRAFT,
        options=["Alleen ja"],
        opens_in=-timedelta(weeks=3),
        runs=timedelta(weeks=1),
        areas=["BU99999999"],
    )
    with pytest.raises(ValidationError) as error:
        services.publish_poll(poll, by="griffie")
    assert error.value.message_dict == {
        "options": ["Een peiling heeft ten minste twee antwoordmogelijkheden."],
        "closes_at": ["De sluitingsdatum ligt in het verleden; kies een latere datum."],
        "areas": ["Onbekende buurt- of wijkcode: BU99999999."],
    }
    published = make_poll("Al gepubliceerd")
    with pytest.raises(ValidationError) as error:
        services.publish_poll(published, by="griffie")
    assert _messages(error, "status") == ["'Al gepubliceerd' is al gepubliceerd."]


# --- answering -------------------------------------------------------------------------------


def test_a_resident_answers_once_and_the_answer_names_no_one(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    poll = make_poll()
    yes = poll.options.get(label="Ja")
    answer = services.answer_poll(resident_ctx(world.riky), world.riky, poll, yes.pk)
    bsn = world.bsn(world.riky)
    assert bsn not in answer.respondent and answer.area == ""
    assert answer.respondent == services.respondent_key(poll, world.riky)
    # Another poll gives another pseudonym: answers cannot be linked across polls.
    assert services.respondent_key(make_poll("Tweede"), world.riky) != answer.respondent
    assert {f.name for f in Answer._meta.get_fields()} == {
        "id",
        "poll",
        "option",
        "respondent",
        "area",
    }
    with pytest.raises(ValidationError) as error:
        services.answer_poll(resident_ctx(world.riky), world.riky, poll, yes.pk)
    assert _messages(error, "poll") == [
        "U heeft deze peiling al beantwoord; u kunt één keer antwoorden."
    ]
    assert Answer.objects.filter(poll=poll).count() == 1


def test_no_answer_to_a_closed_or_not_yet_open_poll(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    closed = make_poll("Dicht")
    services.close_poll(closed)
    with pytest.raises(ValidationError) as error:
        services.answer_poll(
            resident_ctx(world.riky), world.riky, closed, closed.options.first().pk
        )
    assert _messages(error, "poll")[0].startswith("Deze peiling is gesloten sinds ")
    later = make_poll("Later", opens_in=timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        services.answer_poll(resident_ctx(world.riky), world.riky, later, later.options.first().pk)
    assert _messages(error, "poll")[0].startswith("Deze peiling gaat open op ")
    draft = make_poll("Concept", status=PollStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.answer_poll(resident_ctx(world.riky), world.riky, draft, draft.options.first().pk)
    assert _messages(error, "poll") == ["Deze peiling is nog niet gepubliceerd."]


def test_an_option_of_another_poll_or_none_is_refused(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    poll, other = make_poll("Een"), make_poll("Ander")
    for option in (other.options.first().pk, None, "ja"):
        with pytest.raises(ValidationError) as error:
            services.answer_poll(resident_ctx(world.riky), world.riky, poll, option)
        assert _messages(error, "option") == ["Kies een van de antwoorden."]
    assert not Answer.objects.exists()


def test_nobody_answers_for_someone_else(world: PortalWorld, make_poll: MakePoll) -> None:
    poll = make_poll()
    daan_for_riky = resident_ctx(world.daan, actor="demo-inwoner-daan")
    with pytest.raises(ValidationError) as error:
        services.answer_poll(daan_for_riky, world.riky, poll, poll.options.first().pk)
    assert _messages(error, "party") == [
        "Een peiling beantwoordt u alleen voor uzelf, niet namens iemand anders."
    ]


def test_the_area_is_kept_only_when_the_poll_asks_for_it(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    ctx = resident_ctx(world.riky)
    buurt = services.home_buurt(ctx, world.riky)
    assert buurt.startswith("BU")
    per_wijk = make_poll("Per wijk", breakdown=Breakdown.WIJK)
    per_buurt = make_poll("Per buurt", breakdown=Breakdown.BUURT)
    limited = make_poll("Alleen hier", areas=[wijk_of(buurt)])
    assert services.answer_poll(ctx, world.riky, per_wijk, per_wijk.options.first().pk).area == (
        wijk_of(buurt)
    )
    assert (
        services.answer_poll(ctx, world.riky, per_buurt, per_buurt.options.first().pk).area == buurt
    )
    assert services.answer_poll(ctx, world.riky, limited, limited.options.first().pk).area == ""


def test_a_poll_for_other_areas_is_refused_with_their_names(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    ctx = resident_ctx(world.riky)
    elsewhere = (
        "WK014121" if wijk_of(services.home_buurt(ctx, world.riky)) != "WK014121" else "WK014110"
    )
    poll = make_poll(areas=[elsewhere])
    with pytest.raises(ValidationError) as error:
        services.answer_poll(ctx, world.riky, poll, poll.options.first().pk)
    assert _messages(error, "poll")[0].startswith("Deze peiling is alleen voor bewoners van Wijk ")


def test_answering_clears_the_notice_and_closing_is_final(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    poll = make_poll()
    PollNotice.objects.create(party=world.riky, poll=poll)
    services.answer_poll(resident_ctx(world.riky), world.riky, poll, poll.options.first().pk)
    assert selectors.unseen_poll_ids(world.riky) == set()
    assert selectors.answered(world.riky, [poll]) == {poll.pk}
    assert selectors.answered(world.other, [poll]) == set()
    services.close_poll(poll)
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED and poll.closes_at <= timezone.now()
    assert poll.is_closed() and not poll.is_open()
    with pytest.raises(ValidationError):
        services.close_poll(make_poll("Concept", status=PollStatus.DRAFT))
