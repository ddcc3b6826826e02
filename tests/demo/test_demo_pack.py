"""The demo municipality end to end: pack, generated data, accounts and the full view."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from klantocratie.accounts.models import Membership
from klantocratie.clientview.selectors import build_client_view
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.registry.models import DataElement, Source
from klantocratie.registry.packs import check_loaded, check_pack, read_pack


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", persons=60, verbosity=0)


def kcc(
    activity: str = "kcc-dienstverlening", organisation: str = "gemeente-almelo"
) -> AccessContext:
    return AccessContext(
        actor="demo-kcc", role="kcc_agent", organisation=organisation, activity=activity
    )


def test_demo_pack_files_have_no_violations() -> None:
    assert check_pack(settings.DEMO_PACK_DIR) == []


def test_loaded_demo_has_no_violations(demo: None) -> None:
    assert check_loaded() == []
    pack = read_pack(settings.DEMO_PACK_DIR)
    assert Source.objects.count() == len(pack.data["sources"])
    assert DataElement.objects.count() == len(pack.data["elements"])


def test_every_role_has_a_demo_account(demo: None) -> None:
    roles = set(
        Membership.objects.filter(user__username__startswith="demo-").values_list("role", flat=True)
    )
    assert roles == {
        "linkage_reviewer",
        "kcc_agent",
        "case_worker",
        "social_worker",
        "policy_analyst",
        "privacy_officer",
        "administrator",
        "resident",
    }
    resident = Membership.objects.get(user__username="demo-inwoner")
    assert resident.party == find_party("bsn", DEMO_RESIDENT_BSN)


def test_kcc_agent_sees_the_demo_resident_across_sources(demo: None) -> None:
    # The demo's own registrations (e.g. demo contacts) are logged too; look past them.
    logged_before = ProcessingLogRecord.objects.count()
    view = build_client_view(kcc(), find_party("bsn", DEMO_RESIDENT_BSN))
    assert not view.degraded and not view.withheld
    assert view.display_name
    by_source = {s.status.code for s in view.sections if s.values}
    # Core KCC data plus the opt-in extension the demo resident agreed to.
    assert by_source >= {
        "brp-almelo",
        "klantregister-almelo",
        "uwv-uitkeringen",
        "handelsregister",
        "retourpost-registratie",
        "huuradministratie",
        "afval-wegingen",
        "belastingdienst-fiscaal",
    }
    activities = sorted(
        ProcessingLogRecord.objects.order_by("pk")[logged_before:].values_list(
            "processing_activity_id", flat=True
        )
    )
    assert activities == ["kcc-dienstverlening@2", "uitgebreid-klantbeeld@1"]


def test_agent_of_another_organisation_sees_what_its_grant_allows(demo: None) -> None:
    view = build_client_view(kcc(organisation="uwv"), find_party("bsn", DEMO_RESIDENT_BSN))
    codes = set(view.values)
    assert "income.annual" in codes and "benefit.active" in codes
    assert not codes & {"tenancy.complaints", "police.reports", "person.household"}


def test_demo_role_switcher_logs_in_and_views(demo: None, client: Client) -> None:
    response = client.post(reverse("accounts:demo-login", args=["demo-kcc"]))
    assert response.status_code == 302
    found = client.post(reverse("clientview:search"), {"query": DEMO_RESIDENT_BSN})
    page = client.get(found["Location"]).content.decode()
    assert "Basisregistratie Personen (Almelo)" in page
    assert "Huuradministratie" in page


def test_demo_login_only_for_demo_accounts(demo: None, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    assert client.post(reverse("accounts:demo-login", args=["admin"])).status_code == 404
    settings.DEMO_MODE = False
    assert client.post(reverse("accounts:demo-login", args=["demo-kcc"])).status_code == 404


def test_load_demo_twice_keeps_one_copy(demo: None) -> None:
    parties = find_party("bsn", DEMO_RESIDENT_BSN)
    call_command("load_demo", persons=60, verbosity=0)
    assert find_party("bsn", DEMO_RESIDENT_BSN) == parties
    assert Membership.objects.filter(user__username="demo-kcc").count() == 1
