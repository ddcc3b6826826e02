"""The demo municipality comes with contacts and tasks, visible in the integral view."""

import pytest
from django.core.management import call_command

from klantocratie.clientview.selectors import build_client_view
from klantocratie.contacts import selectors
from klantocratie.contacts.models import Contact, InternalTask, TaskStatus
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", persons=60, verbosity=0)


def _kcc(actor: str = "demo-kcc") -> AccessContext:
    return AccessContext(
        actor=actor,
        role="kcc_agent",
        organisation="gemeente-almelo",
        activity="kcc-dienstverlening",
    )


def test_demo_family_has_contacts_of_two_organisations_and_open_tasks_once(demo: None) -> None:
    resident = find_party("bsn", DEMO_RESIDENT_BSN)
    assert resident is not None
    subjects = [c.subject for c in selectors.contacts_for_party(_kcc(), resident)]
    assert subjects == [
        "WW-uitkering en bijverdiensten",
        "Verhuizing binnen Almelo",
        "Aanslag afvalstoffenheffing",
    ]
    registered = Contact.objects.exclude(nummer__startswith="KCH-")
    imported = Contact.objects.filter(nummer__startswith="KCH-").count()
    assert registered.count() == 5
    # A year of contacts from the previous system, for the neighbourhood trends.
    assert imported > 52
    assert InternalTask.objects.filter(status=TaskStatus.TO_DO).count() == 3
    view = build_client_view(_kcc(), resident)
    history = view.values["contact.history"].value
    assert {c["organisatie"] for c in history} == {"Gemeente Almelo", "UWV"}

    # Kim's team received the callback request the resident's web form led to.
    kim = selectors.actor_for_user("demo-kcc", "gemeente-almelo")
    assert kim is not None
    work = selectors.open_tasks_for_actor(_kcc(), kim)
    assert [t.contact.subject for t in work.tasks] == ["Verhuizing binnen Almelo"]

    call_command("load_demo", persons=60, verbosity=0)
    assert Contact.objects.count() == 5 + imported
