"""OpenID Connect login for production (DigiD/eHerkenning brokers, the organisation's IdP).

Roles come from a claim (settings.OIDC_ROLES_CLAIM) holding entries "organisation:role".
A user whose claim names no known organisation and role gets no membership, and so
sees nothing until an administrator assigns one.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from klantocratie.registry.models import Organisation

from .models import Membership
from .roles import Role


class MembershipOIDCBackend(OIDCAuthenticationBackend):
    def create_user(self, claims: dict[str, Any]) -> User:
        user = super().create_user(claims)
        self._sync_memberships(user, claims)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user = super().update_user(user, claims)
        self._sync_memberships(user, claims)
        return user

    def _sync_memberships(self, user: User, claims: dict[str, Any]) -> None:
        entries = claims.get(settings.OIDC_ROLES_CLAIM) or []
        if isinstance(entries, str):
            entries = entries.split()
        wanted: set[tuple[str, str]] = set()
        for entry in entries:
            organisation, _, role = str(entry).partition(":")
            if role in Role.values:
                wanted.add((organisation, role))
        organisations = {
            o.code: o for o in Organisation.objects.filter(code__in=[w[0] for w in wanted])
        }
        Membership.objects.filter(user=user).exclude(
            pk__in=[
                m.pk
                for m in Membership.objects.filter(user=user)
                if (m.organisation.code, m.role) in wanted
            ]
        ).delete()
        for code, role in wanted:
            if code in organisations:
                Membership.objects.get_or_create(
                    user=user, organisation=organisations[code], role=role
                )
