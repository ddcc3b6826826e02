"""Giving feedback: once per contact or case, only on one's own, scores 1 to 5, and a
provider switch that both changes the provider and records why, for the one left."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.cases.models import Case
from klantocratie.contacts.models import Contact
from klantocratie.feedback import selectors, services
from klantocratie.feedback.models import ExitReason, Feedback, FeedbackKind
from klantocratie.privacy.errors import GateError

from .conftest import PortalWorld, resident


def riky_contact(world: PortalWorld, subject: str = "Aanslag afvalstoffenheffing") -> Contact:
    return Contact.objects.get(involvements__party=world.riky, subject=subject)


def riky_case(world: PortalWorld, case_type: str) -> Case:
    return Case.objects.get(
        roles__party=world.riky, case_type_version__case_type__identification=case_type
    )


def switchable_wmo(world: PortalWorld) -> Case:
    """Riky's Wmo request, its provider's response time passed without contact."""
    case = riky_case(world, "wmo-ondersteuning")
    case.provider_chosen_at = timezone.now() - timedelta(days=11)
    case.save(update_fields=["provider_chosen_at"])
    return case


def test_satisfaction_after_a_contact_is_stored_once_with_its_product(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    contact = riky_contact(feedback_world)
    given = services.give_satisfaction(
        resident(riky), riky, about="contact", item_uuid=str(contact.uuid), score="4", text=" Fijn "
    )
    assert given.kind == FeedbackKind.CONTACT_SATISFACTION
    assert (given.score, given.text, given.reference) == (4, "Fijn", contact.nummer)
    assert given.product == "afvalstoffenheffing"
    assert given.organisation == contact.organisation
    assert given.contact_uuid == contact.uuid and given.given_by == "demo-inwoner"

    with pytest.raises(ValidationError) as error:
        services.give_satisfaction(
            resident(riky), riky, about="contact", item_uuid=str(contact.uuid), score=2
        )
    assert error.value.message_dict == {"score": ["U hebt deze vraag al beantwoord. Dank u wel."]}
    assert Feedback.objects.filter(party=riky).count() == 1


def test_satisfaction_after_a_closed_case_names_case_type_and_product(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    report = riky_case(feedback_world, "parkeervergunning")
    given = services.give_satisfaction(
        resident(riky), riky, about="zaak", item_uuid=str(report.uuid), score=5
    )
    assert given.kind == FeedbackKind.CASE_SATISFACTION
    assert given.case_type == "parkeervergunning"
    assert given.product == "parkeervergunning"
    assert given.reference == report.identification


def test_a_running_case_is_not_asked_about_yet(feedback_world: PortalWorld) -> None:
    riky = feedback_world.riky
    permit = riky_case(feedback_world, "omgevingsvergunning-bouwen")
    with pytest.raises(ValidationError) as error:
        services.give_satisfaction(
            resident(riky), riky, about="zaak", item_uuid=str(permit.uuid), score=3
        )
    assert "zaak" in error.value.message_dict
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "", "vier", None, "3.5"])
def test_the_score_is_one_to_five(feedback_world: PortalWorld, score: object) -> None:
    riky = feedback_world.riky
    contact = riky_contact(feedback_world)
    with pytest.raises(ValidationError) as error:
        services.give_satisfaction(
            resident(riky), riky, about="contact", item_uuid=str(contact.uuid), score=score
        )
    assert error.value.message_dict["score"] == [
        "Kies hoe tevreden u bent: een antwoord van 1 tot en met 5."
    ]
    assert not Feedback.objects.exists()


def test_a_comment_over_the_limit_is_refused_with_its_length(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    contact = riky_contact(feedback_world)
    with pytest.raises(ValidationError) as error:
        services.give_satisfaction(
            resident(riky),
            riky,
            about="contact",
            item_uuid=str(contact.uuid),
            score=3,
            text="x" * 1001,
        )
    assert error.value.message_dict == {
        "toelichting": ["Uw toelichting is 1001 tekens; het maximum is 1000."]
    }


def test_only_ones_own_handled_contacts_and_cases(feedback_world: PortalWorld) -> None:
    riky, other = feedback_world.riky, feedback_world.other
    contact = riky_contact(feedback_world)
    report = riky_case(feedback_world, "parkeervergunning")
    for about, item in (("contact", contact.uuid), ("zaak", report.uuid)):
        with pytest.raises(services.UnknownItem):
            services.give_satisfaction(
                resident(other, "demo-ander"), other, about=about, item_uuid=str(item), score=5
            )
    waiting = riky_contact(feedback_world, "Verhuizing binnen Almelo")
    with pytest.raises(services.UnknownItem):
        services.give_satisfaction(
            resident(riky), riky, about="contact", item_uuid=str(waiting.uuid), score=5
        )
    with pytest.raises(services.UnknownItem):
        services.give_satisfaction(
            resident(riky), riky, about="contact", item_uuid="geen-uuid", score=5
        )
    assert not Feedback.objects.exists()


def test_the_gate_refuses_acting_for_someone_without_an_authorisation(
    feedback_world: PortalWorld,
) -> None:
    """Even with the subject's own contact, a user who may not act for them stores nothing."""
    riky = feedback_world.riky
    contact = riky_contact(feedback_world)
    stranger = resident(feedback_world.other, "demo-ander")
    with pytest.raises(GateError):
        services.give_satisfaction(
            stranger, riky, about="contact", item_uuid=str(contact.uuid), score=1
        )
    with pytest.raises(GateError):
        services.give_feedback(stranger, riky, text="Namens een ander")
    assert not Feedback.objects.exists()


def test_a_representative_gives_feedback_in_the_subjects_name(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    contact = riky_contact(feedback_world)
    daan = resident(feedback_world.daan, "demo-inwoner-daan")
    given = services.give_satisfaction(
        daan, riky, about="contact", item_uuid=str(contact.uuid), score=4
    )
    assert given.party == riky and given.given_by == "demo-inwoner-daan"


def test_free_text_feedback_needs_text_and_a_known_organisation(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    with pytest.raises(ValidationError) as error:
        services.give_feedback(resident(riky), riky, text="  ", organisation="bestaat-niet")
    assert error.value.message_dict == {
        "toelichting": ["Schrijf uw feedback op."],
        "organisatie": ["Kies een organisatie uit de lijst, of laat dit leeg."],
    }
    given = services.give_feedback(
        resident(riky), riky, text="De balie was erg behulpzaam.", organisation="uwv"
    )
    assert given.kind == FeedbackKind.FREE_TEXT and given.organisation.code == "uwv"
    assert given.score is None


def test_switching_provider_changes_it_and_records_why_for_the_one_left(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    case = switchable_wmo(feedback_world)
    left = case.provider
    assert left is not None and left.code == "gemeente"
    exit_feedback = services.switch_provider(
        resident(riky),
        riky,
        case_uuid=str(case.uuid),
        provider_code="woonstichting",
        reason=ExitReason.NO_CONTACT,
        text="Niemand belde.",
    )
    case.refresh_from_db()
    assert case.provider is not None and case.provider.code == "woonstichting"
    assert case.history.filter(kind="provider").last().description.startswith("Gewisseld van")
    assert exit_feedback.kind == FeedbackKind.PROVIDER_EXIT
    assert exit_feedback.provider == left.organisation
    assert exit_feedback.provider_code == "gemeente"
    assert exit_feedback.exit_reason == ExitReason.NO_CONTACT
    assert exit_feedback.text == "Niemand belde."
    assert exit_feedback.case_type == "wmo-ondersteuning"
    assert exit_feedback.product == "wmo-voorziening"


def test_a_switch_with_errors_changes_nothing(feedback_world: PortalWorld) -> None:
    riky = feedback_world.riky
    case = switchable_wmo(feedback_world)
    with pytest.raises(ValidationError) as error:
        services.switch_provider(
            resident(riky),
            riky,
            case_uuid=str(case.uuid),
            provider_code="gemeente",
            reason="zomaar",
            text="x" * 1001,
        )
    assert set(error.value.message_dict) == {"aanbieder", "reden", "toelichting"}
    case.refresh_from_db()
    assert case.provider is not None and case.provider.code == "gemeente"
    assert not Feedback.objects.exists()


def test_switching_waits_for_the_providers_response_time(feedback_world: PortalWorld) -> None:
    riky = feedback_world.riky
    case = riky_case(feedback_world, "wmo-ondersteuning")
    with pytest.raises(ValidationError) as error:
        services.switch_provider(
            resident(riky),
            riky,
            case_uuid=str(case.uuid),
            provider_code="woonstichting",
            reason=ExitReason.PREFERENCE,
        )
    assert error.value.message_dict["aanbieder"][0].startswith("U kunt wisselen als")
    case.refresh_from_db()
    assert case.provider is not None and case.provider.code == "gemeente"
    assert not Feedback.objects.exists()


def test_nobody_switches_another_residents_provider(feedback_world: PortalWorld) -> None:
    case = switchable_wmo(feedback_world)
    other = feedback_world.other
    with pytest.raises(services.UnknownItem):
        services.switch_provider(
            resident(other, "demo-ander"),
            other,
            case_uuid=str(case.uuid),
            provider_code="woonstichting",
            reason=ExitReason.PREFERENCE,
        )
    case.refresh_from_db()
    assert case.provider is not None and case.provider.code == "gemeente"


def test_pending_questions_are_recent_unanswered_and_newest_first(
    feedback_world: PortalWorld,
) -> None:
    riky = feedback_world.riky
    prompts = selectors.pending_prompts(resident(riky), riky)
    assert [p.title for p in prompts] == [
        "Parkeervergunning bewoners",
        "WW-uitkering en bijverdiensten",
        "Aanslag afvalstoffenheffing",
    ]
    contact = riky_contact(feedback_world)
    services.give_satisfaction(
        resident(riky), riky, about="contact", item_uuid=str(contact.uuid), score=4
    )
    assert [p.reference for p in selectors.pending_prompts(resident(riky), riky)] == [
        riky_case(feedback_world, "parkeervergunning").identification,
        "KC-2026-000003",
    ]
    # The contact three weeks ago drops out when it is older than PROMPT_DAYS.
    later = timezone.now() + timedelta(days=selectors.PROMPT_DAYS - 20)
    assert [p.reference for p in selectors.pending_prompts(resident(riky), riky, now=later)] == [
        riky_case(feedback_world, "parkeervergunning").identification,
    ]
