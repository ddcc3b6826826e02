import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from klantocratie.contacts.models import Channel, Contact, SubjectObject
from klantocratie.knowledge.models import LifeEvent, Product, QuestionAnswer
from klantocratie.knowledge.selectors import most_asked
from klantocratie.registry.models import Organisation

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.usefixtures("demo_knowledge", "db")

START = timezone.make_aware(dt.datetime(2026, 11, 1, 9, 0))


def record(minute: int, organisation: str, *subjects: tuple[str, str]) -> Contact:
    channel, _ = Channel.objects.get_or_create(code="telefoon", defaults={"name": "Telefoon"})
    contact = Contact.objects.create(
        nummer=f"KC-T-{minute:04d}",
        channel=channel,
        subject="Vraag",
        content="Vraag van een inwoner",
        occurred_at=START + dt.timedelta(minutes=minute),
        organisation=Organisation.objects.get(code=organisation),
        registered_by="kim",
    )
    for object_type, object_id in subjects:
        SubjectObject.objects.create(contact=contact, object_type=object_type, object_id=object_id)
    return contact


def qa(slug: str) -> tuple[str, str]:
    return ("kennisartikel", str(QuestionAnswer.objects.get(slug=slug).uuid))


def product(name: str) -> tuple[str, str]:
    return ("product", str(Product.objects.get(name=name).uuid))


@pytest.fixture
def contacts() -> None:
    # Oldest first; the last contacts weigh in "the last N".
    record(1, "gemeente-almelo", qa("paspoort-aanvragen"))
    record(2, "gemeente-almelo", qa("paspoort-aanvragen"))
    record(3, "gemeente-almelo", qa("paspoort-aanvragen"))
    record(4, "uwv", qa("ww-aanvragen"), product("ww-uitkering"))
    record(5, "gemeente-almelo", qa("verhuizing-doorgeven"), ("zaak", "Z-1"))
    record(6, "uwv", qa("ww-aanvragen"))
    record(7, "gemeente-almelo", qa("verhuizing-doorgeven"), product("verhuismelding"))
    record(8, "gemeente-almelo", qa("tozo-oud"), ("kennisartikel", "not-a-uuid"))


def ranking(items: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [
        (i.item.slug if isinstance(i.item, QuestionAnswer) else i.item.name, i.count) for i in items
    ]


def test_counts_answers_and_products_over_all_recent_contacts(contacts: None) -> None:
    top = ranking(most_asked(100))
    assert top[0] == ("paspoort-aanvragen", 3)
    assert set(top[1:3]) == {("verhuizing-doorgeven", 2), ("ww-aanvragen", 2)}
    assert set(top[3:]) == {("verhuismelding", 1), ("ww-uitkering", 1)}


def test_only_the_last_n_contacts_count(contacts: None) -> None:
    top = ranking(most_asked(4))
    assert ("paspoort-aanvragen", 3) not in top
    assert set(top) == {("verhuizing-doorgeven", 2), ("verhuismelding", 1), ("ww-aanvragen", 1)}


def test_per_organisation(contacts: None) -> None:
    uwv = Organisation.objects.get(code="uwv")
    assert set(ranking(most_asked(100, organisation=uwv))) == {
        ("ww-aanvragen", 2),
        ("ww-uitkering", 1),
    }


def test_per_life_event(contacts: None) -> None:
    moving = LifeEvent.objects.get(slug="verhuizen")
    assert ranking(most_asked(100, life_event=moving)) == [
        ("verhuizing-doorgeven", 2),
        ("verhuismelding", 1),
    ]


def test_inactive_answers_and_unknown_ids_are_left_out_and_limit_applies(contacts: None) -> None:
    names = [name for name, _ in ranking(most_asked(100))]
    assert "tozo-oud" not in names
    assert len(most_asked(100, limit=2)) == 2
    assert most_asked(0) == []


def test_the_knowledge_page_shows_the_most_asked_per_organisation(
    contacts: None, client: "Client"
) -> None:
    from django.contrib.auth.models import User

    from klantocratie.accounts.models import Membership

    user = User.objects.create_user("kim")
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="gemeente-almelo"),
        role="kcc_agent",
        default_activity="kcc-dienstverlening",
    )
    client.force_login(user)
    page = client.get("/kennisbank/").content.decode()
    asked = page.split("data-most-asked>")[1].split("</ol>")[0]
    assert asked.index("paspoort") < asked.index("WW-uitkering")
    assert "3 keer" in asked
    uwv = client.get("/kennisbank/", {"organisation": "uwv"}).content.decode()
    only_uwv = uwv.split("data-most-asked>")[1].split("</ol>")[0]
    assert "paspoort" not in only_uwv.lower() and "2 keer" in only_uwv
    recent = client.get("/kennisbank/", {"last_contacts": "100"})
    assert recent.status_code == 200
