"""OpenID Connect login for production (DigiD/eHerkenning brokers, the organisation's IdP).

Roles come from a claim (settings.OIDC_ROLES_CLAIM) holding entries "organisation:role",
each working under its role's default processing activity. A resident logging in through
a DigiD broker carries a BSN claim (settings.OIDC_BSN_CLAIM) instead, a business through
an eHerkenning broker a KvK-number claim (settings.OIDC_KVK_CLAIM); either gets the
personal page, tied to their own party, so they reach their own data only. A user whose
claims name no known organisation and role gets no membership, and so sees nothing
until an administrator assigns one.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from klantocratie.parties.models import IdentifierType, Party
from klantocratie.parties.services import register_party
from klantocratie.parties.validators import validate_bsn, validate_kvk_number
from klantocratie.registry.models import Organisation, PartyType

from .models import Membership
from .roles import Role

logger = logging.getLogger(__name__)


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
        resident = self._resident_membership(claims)
        if resident is not None:
            wanted.add(resident[:2])
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
                Membership.objects.update_or_create(
                    user=user,
                    organisation=organisations[code],
                    role=role,
                    defaults={
                        "default_activity": settings.DEFAULT_ACTIVITY_BY_ROLE.get(role, ""),
                        "party": resident[2] if resident and role == Role.RESIDENT else None,
                    },
                )

    def _resident_membership(self, claims: dict[str, Any]) -> tuple[str, str, Party] | None:
        """The personal-page membership a valid BSN (DigiD) or KvK-number (eHerkenning)
        claim gives, tied to that person's or business's own party; or None."""
        if not settings.OIDC_RESIDENT_ORGANISATION:
            return None
        for claim, party_type, identifier_type, validate in (
            (settings.OIDC_BSN_CLAIM, PartyType.PERSON, IdentifierType.BSN, validate_bsn),
            (
                settings.OIDC_KVK_CLAIM,
                PartyType.ORGANISATION,
                IdentifierType.KVK,
                validate_kvk_number,
            ),
        ):
            value = str(claims.get(claim, "")) if claim else ""
            if not value:
                continue
            try:
                validate(value)
            except ValidationError:
                logger.warning("OIDC login with an invalid %s claim ignored", identifier_type)
                return None
            party = register_party(party_type, {identifier_type: value})
            return settings.OIDC_RESIDENT_ORGANISATION, Role.RESIDENT, party
        return None
