"""Case handling through the services: statuses, tasks, decision tables, offers, second
opinion, provider choice and notifications, with the bad input the issue names."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.cases import choices, services
from klantocratie.cases.models import (
    Case,
    CaseEvent,
    CaseOffer,
    OfferState,
    ResidentNotice,
    TaskState,
)
from klantocratie.events.models import Event
from klantocratie.parties.models import Party
from klantocratie.privacy.errors import AccessDenied
from klantocratie.privacy.models import ProcessingLogRecord
from tests.cases.conftest import resident, worker

pytestmark = pytest.mark.django_db


def permit(party: Party, **properties: object) -> Case:
    facts = {"bouwhoogte": 6, "monument": False, "gebied": "regulier", **properties}
    return services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(party)],
        description="Dakkapel aan de achterkant",
        properties=facts,
    )


def through_advice(case: Case, commissie: str = "Ambtelijk", punten: list[str] | None = None):
    services.complete_task(
        worker(), case.tasks.get(task_type__code="volledigheid"), {"compleet": True}
    )
    services.set_status(worker(), case, "in-behandeling")
    services.set_status(worker(), case, "advies")
    advice = case.tasks.get(task_type__code="welstandsadvies")
    services.evaluate_decision_table(worker(), advice, {})
    services.complete_task(
        worker(), advice, {"commissie": commissie, "punten": punten or [], "advies": "Akkoord"}
    )
    return advice


def test_a_case_starts_on_the_version_in_force_with_its_first_status_and_required_tasks(
    case_types: Party,
) -> None:
    case = permit(case_types)
    assert case.identification.startswith("ZAAK-")
    assert case.current_status.status_type.code == "ontvangen"
    assert case.deadline == case.start_date + timedelta(days=56)
    assert set(case.tasks.values_list("task_type__code", flat=True)) == {
        "volledigheid",
        "welstandsadvies",
        "besluit-opstellen",
    }
    assert case.roles.get().identifier == "900000004" or case.roles.get().party == case_types
    assert CaseEvent.objects.filter(case=case, kind="registered").exists()


def test_registering_a_case_is_logged_for_the_client(case_types: Party) -> None:
    before = ProcessingLogRecord.objects.filter(operation="zaak registreren").count()
    permit(case_types)
    assert ProcessingLogRecord.objects.filter(operation="zaak registreren").count() == before + 1


def test_a_role_without_a_grant_cannot_open_cases(case_types: Party) -> None:
    analyst = services.gate.AccessContext(
        actor="demo-beleid",
        role="policy_analyst",
        organisation="gemeente-almelo",
        activity="beleidsanalyse",
    )
    with pytest.raises(AccessDenied):
        services.start_case(
            analyst,
            case_type="omgevingsvergunning-bouwen",
            clients=[services.Client(case_types)],
            description="Dakkapel",
        )
    assert not Case.objects.exists()


def test_status_out_of_order_is_refused_and_nothing_changes(case_types: Party) -> None:
    case = permit(case_types)
    services.complete_task(worker(), case.tasks.get(task_type__code="volledigheid"), {})
    services.set_status(worker(), case, "in-behandeling")
    with pytest.raises(ValidationError) as error:
        services.set_status(worker(), case, "ontvangen")
    assert "komt niet na" in str(error.value)
    case.refresh_from_db()
    assert case.current_status.status_type.code == "in-behandeling"
    assert case.statuses.count() == 2


def test_a_status_waits_for_its_required_tasks(case_types: Party) -> None:
    case = permit(case_types)
    with pytest.raises(ValidationError) as error:
        services.set_status(worker(), case, "in-behandeling")
    assert "Volledigheid toetsen" in str(error.value)
    assert case.statuses.count() == 1


def test_a_task_without_a_required_field_is_not_completed(case_types: Party) -> None:
    case = permit(case_types)
    services.complete_task(worker(), case.tasks.get(task_type__code="volledigheid"), {})
    services.set_status(worker(), case, "in-behandeling")
    advice = case.tasks.get(task_type__code="welstandsadvies")
    services.evaluate_decision_table(worker(), advice, {})
    with pytest.raises(ValidationError) as error:
        services.complete_task(worker(), advice, {"commissie": "Ambtelijk", "punten": ["dakvorm"]})
    assert "advies" in error.value.message_dict
    advice.refresh_from_db()
    assert advice.state == TaskState.OPEN and advice.data == {}


def test_result_type_of_another_case_type_is_refused(case_types: Party) -> None:
    case = permit(case_types)
    with pytest.raises(ValidationError) as error:
        services.set_result(worker(), case, "uitgevoerd")
    assert "hoort niet bij dit zaaktype" in str(error.value)
    assert not hasattr(Case.objects.get(pk=case.pk), "result")


def test_deadline_in_the_past_is_refused(case_types: Party) -> None:
    with pytest.raises(ValidationError) as error:
        services.start_case(
            worker(),
            case_type="parkeervergunning",
            clients=[services.Client(case_types)],
            description="Vergunning",
            deadline=timezone.localdate() - timedelta(days=1),
        )
    assert "verleden" in str(error.value)
    assert not Case.objects.exists()


def test_final_status_needs_a_result_and_closes_the_case(case_types: Party) -> None:
    case = permit(case_types)
    through_advice(case)
    services.complete_task(
        worker(), case.tasks.get(task_type__code="besluit-opstellen"), {"besluittekst": "Verleend"}
    )
    services.set_status(worker(), case, "besluit")
    with pytest.raises(ValidationError):
        services.set_status(worker(), case, "afgehandeld")
    services.set_result(worker(), case, "verleend")
    services.set_status(worker(), case, "afgehandeld")
    case.refresh_from_db()
    assert case.end_date == timezone.localdate()
    with pytest.raises(ValidationError):
        services.set_result(worker(), case, "geweigerd")


# --- decision tables ---------------------------------------------------------------------


def test_decision_table_advice_is_stored_with_inputs_and_rule(case_types: Party) -> None:
    case = permit(case_types, bouwhoogte=12)
    services.complete_task(worker(), case.tasks.get(task_type__code="volledigheid"), {})
    advice_task = case.tasks.get(task_type__code="welstandsadvies")
    evaluation = services.evaluate_decision_table(worker(), advice_task, {})
    assert evaluation.advice["route"] == "commissie"
    assert evaluation.inputs["bouwhoogte"] == 12
    assert evaluation.trace == {"Welstandsroute": "regel-4"}
    assert evaluation.table_sha256 == advice_task.task_type.decision_table.sha256


def test_deviating_from_the_advice_needs_a_reason_and_is_recorded(case_types: Party) -> None:
    case = permit(case_types)
    services.complete_task(worker(), case.tasks.get(task_type__code="volledigheid"), {})
    task = case.tasks.get(task_type__code="welstandsadvies")
    evaluation = services.evaluate_decision_table(worker(), task, {})
    assert evaluation.advice["route"] == "ambtelijk"
    other = {**evaluation.advice, "route": "commissie"}
    data = {"commissie": "Welstandscommissie Oost", "advies": "Zie verslag"}
    with pytest.raises(ValidationError) as error:
        services.complete_task(worker(), task, data, outcome=other)
    assert "reden_afwijking" in error.value.message_dict
    services.complete_task(
        worker(), task, data, outcome=other, deviation_reason="Pand grenst aan een monument."
    )
    evaluation.refresh_from_db()
    assert evaluation.deviates
    assert evaluation.advice["route"] == "ambtelijk" and evaluation.outcome["route"] == "commissie"
    assert CaseEvent.objects.get(case=case, kind="deviation").data["reason"] == (
        "Pand grenst aan een monument."
    )


def test_a_table_needs_its_inputs(case_types: Party) -> None:
    case = services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(case_types)],
        description="Schuur",
    )
    task = case.tasks.get(task_type__code="welstandsadvies")
    with pytest.raises(ValidationError) as error:
        services.evaluate_decision_table(worker(), task, {"gebied": "regulier"})
    assert "Monument" in str(error.value)


def test_discretionary_task_needs_a_reason(case_types: Party) -> None:
    case = permit(case_types)
    with pytest.raises(ValidationError):
        services.add_task(worker(), case, "buren-horen", reason=" ")
    task = services.add_task(worker(), case, "buren-horen", reason="Aanbouw op de erfgrens.")
    assert task.added_by_choice and task.reason == "Aanbouw op de erfgrens."


# --- offers ------------------------------------------------------------------------------


def fine(party: Party) -> Case:
    case = services.start_case(
        worker("gbtwente", "demo-belasting"),
        case_type="naheffing-parkeerbelasting",
        clients=[services.Client(party)],
        description="Naheffing Grotestraat",
        properties={"bedrag": 80, "kenteken": "XX-123-X", "bewoner": True, "herhaling": False},
    )
    task = case.tasks.get()
    services.evaluate_decision_table(worker("gbtwente", "demo-belasting"), task, {})
    services.complete_task(worker("gbtwente", "demo-belasting"), task, {})
    services.set_status(worker("gbtwente", "demo-belasting"), case, "opgelegd")
    services.set_result(worker("gbtwente", "demo-belasting"), case, "opgelegd")
    return case


def test_a_decision_with_offers_offers_them_to_the_resident(case_types: Party) -> None:
    case = fine(case_types)
    offers = CaseOffer.objects.filter(case=case)
    assert {o.offer_type.code for o in offers} == {"parkeervergunning", "cursus"}
    assert all(o.party == case_types and o.state == OfferState.OFFERED for o in offers)


def test_accepting_an_offer_lowers_the_fine_and_starts_the_follow_up(case_types: Party) -> None:
    case = fine(case_types)
    offer = case.offers.get(offer_type__code="parkeervergunning")
    choices.answer_offer(resident(case_types), offer, accept=True)
    case.refresh_from_db()
    offer.refresh_from_db()
    assert case.properties["bedrag"] == 72 and case.properties["oorspronkelijk_bedrag"] == 80
    assert offer.follow_up.case_type_version.case_type.identification == "parkeervergunning"
    assert case in offer.follow_up.related_cases.all()
    # One offer per decision: the other lapses.
    assert case.offers.get(offer_type__code="cursus").state == OfferState.EXPIRED


def test_declining_an_offer_changes_nothing_else_and_cannot_be_answered_twice(
    case_types: Party,
) -> None:
    case = fine(case_types)
    offer = case.offers.get(offer_type__code="cursus")
    choices.answer_offer(resident(case_types), offer, accept=False)
    case.refresh_from_db()
    assert case.properties["bedrag"] == 80
    with pytest.raises(ValidationError):
        choices.answer_offer(resident(case_types), offer, accept=True)


def test_an_expired_offer_cannot_be_accepted(case_types: Party) -> None:
    offer = fine(case_types).offers.first()
    offer.expires_on = timezone.localdate() - timedelta(days=1)
    offer.save()
    with pytest.raises(ValidationError):
        choices.answer_offer(resident(case_types), offer, accept=True)


def test_a_resident_cannot_answer_someone_elses_offer(case_types: Party) -> None:
    other = Party.objects.exclude(pk=case_types.pk).filter(party_type="person").first()
    offer = fine(other).offers.first()
    with pytest.raises(AccessDenied):
        choices.answer_offer(resident(case_types), offer, accept=True)
    offer.refresh_from_db()
    assert offer.state == OfferState.OFFERED


# --- second opinion ----------------------------------------------------------------------


def test_common_points_keep_only_what_both_advices_contain() -> None:
    order = ["gevelmateriaal", "kleur", "dakvorm", "bouwhoogte"]
    assert services.common_points(
        ["dakvorm", "kleur"], ["kleur", "bouwhoogte", "dakvorm"], order
    ) == [
        "kleur",
        "dakvorm",
    ]
    assert services.common_points(["kleur"], [], order) == []


def test_second_opinion_adopts_only_the_common_points(case_types: Party) -> None:
    case = permit(case_types, bouwhoogte=12)
    through_advice(case, "Welstandscommissie Oost", ["gevelmateriaal", "dakvorm", "kleur"])
    with pytest.raises(ValidationError):
        choices.request_second_opinion(
            resident(case_types), case, committee="Welstandscommissie Oost"
        )
    opinion = choices.request_second_opinion(resident(case_types), case, committee="Het Oversticht")
    assert opinion.cost_eur == 350
    # The decision waits for the second advice: it is an open required task.
    services.complete_task(
        worker(), case.tasks.get(task_type__code="besluit-opstellen"), {"besluittekst": "x"}
    )
    with pytest.raises(ValidationError):
        services.set_status(worker(), case, "besluit")
    second = opinion.second_task
    services.evaluate_decision_table(worker(), second, {})
    services.complete_task(
        worker(),
        second,
        {"commissie": "Het Oversticht", "punten": ["kleur", "dakvorm", "rooilijn"], "advies": "Ja"},
    )
    opinion.refresh_from_db()
    assert opinion.adopted_points == ["kleur", "dakvorm"]
    services.set_status(worker(), case, "besluit")


def test_second_opinion_only_within_its_term(case_types: Party) -> None:
    case = permit(case_types)
    advice = through_advice(case, "Welstandscommissie Oost", ["kleur"])
    advice.completed_at = timezone.now() - timedelta(days=15)
    advice.save()
    with pytest.raises(ValidationError) as error:
        choices.request_second_opinion(resident(case_types), case, committee="Het Oversticht")
    assert "termijn" in str(error.value)


def test_no_second_opinion_where_the_case_type_has_none(case_types: Party) -> None:
    case = fine(case_types)
    with pytest.raises(ValidationError):
        choices.request_second_opinion(resident(case_types), case, committee="x")


# --- provider choice ---------------------------------------------------------------------


def wmo(party: Party) -> Case:
    return services.start_case(
        worker(),
        case_type="wmo-ondersteuning",
        clients=[services.Client(party)],
        description="Hulp in het huishouden",
    )


def test_resident_chooses_a_provider_and_may_switch_after_its_deadline(case_types: Party) -> None:
    case = wmo(case_types)
    choices.choose_provider(resident(case_types), case, "gemeente")
    with pytest.raises(ValidationError) as error:
        choices.choose_provider(resident(case_types), case, "woonstichting")
    assert "wisselen" in str(error.value)
    case.provider_chosen_at = timezone.now() - timedelta(days=11)
    case.save()
    choices.choose_provider(resident(case_types), case, "woonstichting")
    case.refresh_from_db()
    assert case.provider.code == "woonstichting"
    assert CaseEvent.objects.filter(case=case, kind="provider").count() == 2


def test_no_switch_once_the_provider_made_contact(case_types: Party) -> None:
    case = wmo(case_types)
    choices.choose_provider(resident(case_types), case, "gemeente")
    choices.record_provider_contact(worker(), case)
    case.provider_chosen_at = timezone.now() - timedelta(days=30)
    case.save()
    with pytest.raises(ValidationError):
        choices.choose_provider(resident(case_types), case, "woonstichting")


def test_unknown_provider_is_refused(case_types: Party) -> None:
    with pytest.raises(ValidationError):
        choices.choose_provider(resident(case_types), wmo(case_types), "elders")


# --- first line, notifications -------------------------------------------------------------


def test_the_desk_completes_a_first_line_case_at_once(case_types: Party) -> None:
    kcc = services.gate.AccessContext(
        actor="demo-kcc",
        role="kcc_agent",
        organisation="gemeente-almelo",
        activity="kcc-dienstverlening",
    )
    case = choices.complete_at_first_line(
        kcc,
        case_type="parkeervergunning",
        clients=[services.Client(case_types)],
        description="Vergunning Grotestraat",
        result="verleend",
    )
    assert case.end_date is not None and case.result.result_type.code == "verleend"
    with pytest.raises(ValidationError) as error:
        choices.complete_at_first_line(
            kcc,
            case_type="omgevingsvergunning-bouwen",
            clients=[services.Client(case_types)],
            description="Aanbouw",
            result="verleend",
        )
    assert "tweede lijn" in str(error.value)


def test_status_change_notifies_the_resident_where_the_status_type_says_so(
    case_types: Party, django_capture_on_commit_callbacks, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        case = permit(case_types)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_task(worker(), case.tasks.get(task_type__code="volledigheid"), {})
        services.set_status(worker(), case, "in-behandeling")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(worker(), case, "advies")  # notify: false
    portal = ResidentNotice.objects.filter(party=case_types, channel="portal").order_by(
        "created_at"
    )
    assert [n.text.split(": ", 1)[1] for n in portal] == [
        "We hebben uw aanvraag ontvangen. We kijken eerst of hij compleet is.",
        "Uw aanvraag is compleet en in behandeling.",
    ]
    assert len(mail.outbox) == ResidentNotice.objects.filter(channel="email").count()
    assert all(case.identification in m.subject for m in mail.outbox)
    assert not Event.objects.filter(published_at__isnull=True).exists()


def test_a_case_belongs_to_the_organisation_of_its_case_type(case_types: Party) -> None:
    with pytest.raises(ValidationError) as error:
        services.start_case(
            worker("gbtwente", "demo-belasting"),
            case_type="bijstand-levensonderhoud",
            clients=[services.Client(case_types)],
            description="Bijstand",
        )
    assert "interne taak" in str(error.value)
    assert not Case.objects.exists()


def test_a_channel_name_longer_than_fits_is_refused(case_types: Party) -> None:
    with pytest.raises(ValidationError) as error:
        services.start_case(
            worker(),
            case_type="parkeervergunning",
            clients=[services.Client(case_types)],
            description="Vergunning",
            channel="x" * 51,
        )
    assert "communicatiekanaal" in error.value.message_dict
