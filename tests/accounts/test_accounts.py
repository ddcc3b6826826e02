import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from klantocratie.accounts.models import Membership
from klantocratie.accounts.oidc import MembershipOIDCBackend
from klantocratie.registry.models import Organisation


@pytest.fixture
def organisations(db: None) -> None:
    Organisation.objects.create(code="gemeente", name="Gemeente", kind="municipality")
    Organisation.objects.create(code="uwv", name="UWV", kind="benefits_agency")


def _roles(user: User) -> set[tuple[str, str]]:
    return set(Membership.objects.filter(user=user).values_list("organisation__code", "role"))


def test_oidc_claim_becomes_memberships(organisations: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_ROLES_CLAIM = "roles"
    backend = MembershipOIDCBackend.__new__(MembershipOIDCBackend)
    user = User.objects.create_user("kim")
    backend._sync_memberships(
        user,
        {"roles": ["gemeente:kcc_agent", "uwv:case_worker", "gemeente:king", "elders:kcc_agent"]},
    )
    assert _roles(user) == {("gemeente", "kcc_agent"), ("uwv", "case_worker")}
    # A later login with fewer roles takes the dropped ones away.
    backend._sync_memberships(user, {"roles": "uwv:case_worker"})
    assert _roles(user) == {("uwv", "case_worker")}
    backend._sync_memberships(user, {})
    assert _roles(user) == set()


def test_oidc_memberships_work_under_their_roles_default_activity(
    organisations: None, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_ROLES_CLAIM = "roles"
    backend = MembershipOIDCBackend.__new__(MembershipOIDCBackend)
    user = User.objects.create_user("kim")
    backend._sync_memberships(user, {"roles": ["gemeente:kcc_agent", "uwv:case_worker"]})
    activities = dict(Membership.objects.filter(user=user).values_list("role", "default_activity"))
    assert activities == {"kcc_agent": "kcc-dienstverlening", "case_worker": "zaakbehandeling"}


def test_oidc_bsn_claim_makes_a_resident_of_their_own_party(organisations: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_BSN_CLAIM = "bsn"
    settings.OIDC_RESIDENT_ORGANISATION = "gemeente"
    backend = MembershipOIDCBackend.__new__(MembershipOIDCBackend)
    user = User.objects.create_user("digid-1")
    backend._sync_memberships(user, {"bsn": "999990019"})
    membership = Membership.objects.get(user=user)
    assert membership.role == "resident"
    assert membership.default_activity == "inzage-eigen-gegevens"
    assert membership.party is not None
    assert membership.party.primary_identifier().value == "999990019"
    # A claim that fails the 11-test gives no membership at all.
    other = User.objects.create_user("digid-2")
    backend._sync_memberships(other, {"bsn": "999990018"})
    assert not Membership.objects.filter(user=other).exists()


def test_oidc_kvk_claim_gives_a_business_its_own_page(organisations: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_BSN_CLAIM = "bsn"
    settings.OIDC_KVK_CLAIM = "kvk"
    settings.OIDC_RESIDENT_ORGANISATION = "gemeente"
    backend = MembershipOIDCBackend.__new__(MembershipOIDCBackend)
    user = User.objects.create_user("eherkenning-1")
    backend._sync_memberships(user, {"kvk": "12345678"})
    membership = Membership.objects.get(user=user)
    assert membership.role == "resident" and membership.party is not None
    assert membership.party.party_type == "organisation"
    assert membership.party.primary_identifier().value == "12345678"
    other = User.objects.create_user("eherkenning-2")
    backend._sync_memberships(other, {"kvk": "1234"})
    assert not Membership.objects.filter(user=other).exists()


def test_oidc_urls_exist_only_when_oidc_is_configured(client: Client, db: None) -> None:
    assert client.get("/oidc/authenticate/").status_code == 404


def test_oidc_without_keys_for_signed_tokens_refuses_to_start() -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "klantocratie.settings",
        "KLANTOCRATIE_DEMO": "1",
        "KLANTOCRATIE_OIDC_CLIENT_ID": "klantocratie",
        "KLANTOCRATIE_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
        "KLANTOCRATIE_OIDC_TOKEN_ENDPOINT": "https://idp.example/token",
        "KLANTOCRATIE_OIDC_USER_ENDPOINT": "https://idp.example/userinfo",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode != 0
    assert "KLANTOCRATIE_OIDC_JWKS_ENDPOINT must be set for RS256" in result.stderr


def test_switching_to_a_membership_of_someone_else_is_refused(
    organisations: None, client: Client
) -> None:
    kim = User.objects.create_user("kim")
    other = User.objects.create_user("other")
    gemeente = Organisation.objects.get(code="gemeente")
    own = Membership.objects.create(user=kim, organisation=gemeente, role="kcc_agent")
    foreign = Membership.objects.create(user=other, organisation=gemeente, role="privacy_officer")
    client.force_login(kim)
    client.post(reverse("accounts:switch"), {"membership": foreign.pk})
    assert client.session.get("klantocratie_membership") is None
    client.post(reverse("accounts:switch"), {"membership": own.pk})
    assert client.session["klantocratie_membership"] == own.pk


def test_admin_is_closed_to_non_staff(organisations: None, client: Client) -> None:
    kim = User.objects.create_user("kim")
    Membership.objects.create(
        user=kim, organisation=Organisation.objects.get(code="gemeente"), role="kcc_agent"
    )
    client.force_login(kim)
    assert client.get("/beheer/").status_code == 302


def test_cli_accepts_dashed_command_names() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "klantocratie", "verify-log", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "hash chain" in result.stdout
