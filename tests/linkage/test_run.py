"""A linkage run: BSN first, then the model; certain links automatic, likely ones to
review, the rest none; a refused pair never comes back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from klantocratie.linkage import services
from klantocratie.linkage.models import Link, LinkageModel, LinkMethod, LinkStatus
from klantocratie.parties.models import Party
from klantocratie.sources.population.models import Person
from tests.linkage.conftest import PartnerWorld, ScriptedModel, party_of

pytestmark = pytest.mark.django_db


def others(partners: PartnerWorld, n: int) -> list[Person]:
    return list(Person.objects.exclude(bsn=partners.person.bsn).order_by("bsn")[:n])


def test_a_delivered_bsn_the_register_knows_links_without_the_model(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    record = partners.record_of(partners.person, "M-1", bsn=partners.person.bsn)
    run = services.run_linkage(partners.police)
    link = Link.objects.get(record=record)
    assert (link.method, link.status, link.party) == (
        LinkMethod.BSN,
        LinkStatus.AUTOMATIC,
        partners.party,
    )
    assert run.by_bsn == 1 and run.records == 0 and scripted.trainings == 0


def test_certain_links_are_automatic_likely_ones_wait_and_unlikely_ones_are_not_made(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    a, b, c = others(partners, 3)
    certain = partners.record_of(a, "M-1")
    likely = partners.record_of(b, "M-2")
    unlikely = partners.record_of(c, "M-3")
    scripted.answer(certain.pk, (a.bsn, 0.999, 14.0))
    scripted.answer(likely.pk, (b.bsn, 0.9, 8.0))
    scripted.answer(unlikely.pk, (c.bsn, 0.2, -2.0))

    run = services.run_linkage(partners.police)

    assert (run.automatic, run.review, run.unlinked, run.trained) == (1, 1, 1, True)
    auto = Link.objects.get(record=certain)
    assert auto.status == LinkStatus.AUTOMATIC and auto.party == party_of(a.bsn)
    assert auto.model == LinkageModel.objects.get() and auto.match_probability == 0.999
    assert auto.levels == [{"vergelijking": "achternaam", "niveau": "exact", "gewicht": 6.0}]
    assert Link.objects.get(record=likely).status == LinkStatus.REVIEW
    assert not Link.objects.filter(record=unlikely).exists()


def test_a_close_runner_up_sends_even_a_certain_match_to_review(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    twin_a, twin_b = others(partners, 2)
    record = partners.record_of(twin_a, "M-1")
    scripted.answer(record.pk, (twin_a.bsn, 0.999, 14.0), (twin_b.bsn, 0.998, 13.0))
    services.run_linkage(partners.police)
    link = Link.objects.get(record=record)
    assert link.status == LinkStatus.REVIEW and link.ambiguous
    assert link.party == party_of(twin_a.bsn)


def test_a_second_run_leaves_linked_records_alone_and_reuses_the_model(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    (a,) = others(partners, 1)
    record = partners.record_of(a, "M-1")
    scripted.answer(record.pk, (a.bsn, 0.999, 14.0))
    services.run_linkage(partners.police)
    again = services.run_linkage(partners.police)
    assert Link.objects.filter(record=record).count() == 1
    assert again.records == 0 and scripted.trainings == 1


def test_a_rejected_person_is_not_proposed_again_for_that_record(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    wrong, right = others(partners, 2)
    record = partners.record_of(right, "M-1")
    Link.objects.create(
        record=record,
        party=party_of(wrong.bsn),
        method=LinkMethod.PROBABILISTIC,
        status=LinkStatus.REJECTED,
    )
    scripted.answer(record.pk, (wrong.bsn, 0.999, 14.0), (right.bsn, 0.95, 9.0))
    services.run_linkage(partners.police)
    proposed = Link.objects.get(record=record, status__in=[LinkStatus.AUTOMATIC, LinkStatus.REVIEW])
    assert proposed.party == party_of(right.bsn)


def test_a_source_can_set_its_own_thresholds_and_nonsense_is_refused(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    (a,) = others(partners, 1)
    record = partners.record_of(a, "M-1")
    scripted.answer(record.pk, (a.bsn, 0.995, 14.0))
    partners.police.config = {"koppeling": {"boven": 0.999, "onder": 0.6}}
    partners.police.save()
    services.run_linkage(partners.police)
    assert Link.objects.get(record=record).status == LinkStatus.REVIEW
    assert LinkageModel.objects.get().upper_threshold == 0.999

    partners.police.config = {"koppeling": {"boven": 0.5, "onder": 0.9}}
    with pytest.raises(ValidationError):
        services.run_linkage(partners.police)


def test_the_real_model_links_partner_copies_of_residents_to_the_right_person(
    partners: PartnerWorld,
) -> None:
    people = others(partners, 40)
    for number, person in enumerate(people):
        # Initials instead of first names for a third, as partner files often have.
        initials = "".join(f"{name[0]}." for name in person.given_names.split())
        partners.record_of(
            person, f"M-{number}", given_names=initials if number % 3 == 0 else person.given_names
        )
    run = services.run_linkage(partners.police)

    links = Link.objects.select_related("record").prefetch_related("party__identifiers")
    assert run.automatic + run.review >= 36
    wrong = [
        link.record.reference
        for link in links
        if link.party.primary_identifier().value
        != people[int(link.record.reference.split("-")[1])].bsn
    ]
    assert wrong == []
    assert LinkageModel.objects.get().version.startswith("nl-1-")
    assert all(link.levels for link in links)


def test_a_resident_the_platform_never_met_becomes_a_party_when_linked(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    (a,) = others(partners, 1)
    Party.objects.filter(identifiers__value=a.bsn).delete()
    record = partners.record_of(a, "M-1")
    scripted.answer(record.pk, (a.bsn, 0.999, 14.0))
    services.run_linkage(partners.police)
    assert Link.objects.get(record=record).party == party_of(a.bsn)
