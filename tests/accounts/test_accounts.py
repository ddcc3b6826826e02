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
