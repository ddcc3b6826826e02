"""Every link in the main menu opens for the role that sees it."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client

from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role
from tests.conftest import World

_NAV = re.compile(r'<nav aria-label="Hoofdmenu">(.*?)</nav>', re.S)
_HREF = re.compile(r'href="([^"]+)"')


# Nobody logs in as the analytic environment: that role is for the system alone.
PERSON_ROLES = [role for role in Role.values if role != Role.ANALYTICS]


def test_no_person_can_hold_the_analytic_system_role(world: World) -> None:
    user = User.objects.create_user("someone")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=world.municipality, role=Role.ANALYTICS)


@pytest.mark.parametrize("role", PERSON_ROLES)
def test_menu_links_open_for_the_role(client: Client, world: World, role: str) -> None:
    staff = role in (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER)
    user = User.objects.create_user(f"user-{role}", is_staff=staff)
    Membership.objects.create(
        user=user,
        organisation=world.municipality,
        role=role,
        default_activity=world.activity.code,
        party=world.anna if role == Role.RESIDENT else None,
    )
    if role == Role.RESIDENT:
        world.grant_for(world.activity, ["person.name"], role=role, subject_scope="self")
    client.force_login(user)
    home = client.get("/").content.decode()
    links = _HREF.findall(_NAV.search(home).group(1))  # type: ignore[union-attr]
    if role not in (Role.POLICY_ANALYST,):
        assert links, f"{role} has no menu"
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (role, link, response.status_code)
