"""Who the personal page is for, and for whom they act.

Every portal view is wrapped in :func:`portal_view`. It admits a logged-in resident or
business whose membership is tied to their own party, and works out the *subject*: the
party whose page is shown. That is the party itself, or someone they represent under an
authorisation in force (a parent for a minor child, a registered representative, a
voluntary machtiging). The subject is re-checked on every request, so an authorisation
that ends or is withdrawn stops working at once.

Views read and change data only through the gate with ``portal.ctx``; the gate checks
the authorisation again itself, so a view that forgot the subject still cannot reach
another resident's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from klantocratie.accounts.models import Membership
from klantocratie.accounts.permissions import membership_of
from klantocratie.accounts.roles import Role
from klantocratie.parties.models import Authorisation, Party
from klantocratie.parties.selectors import represented_by
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.models import PartyType

# The session keys: the party acted for, and their display name as read when chosen.
SUBJECT_KEY = "portal_subject"
SUBJECT_NAME_KEY = "portal_subject_name"


@dataclass(frozen=True)
class PortalSession:
    """The logged-in party, the party whose page is shown, and the gate context."""

    membership: Membership
    own_party: Party
    subject: Party
    authorisation: Authorisation | None
    subject_name: str
    ctx: AccessContext

    @property
    def acting_for_other(self) -> bool:
        return self.authorisation is not None

    @property
    def is_business(self) -> bool:
        return self.subject.party_type != PartyType.PERSON


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def portal_context(request: HttpRequest, membership: Membership) -> AccessContext:
    return AccessContext(
        actor=request.user.get_username(),
        role=membership.role,
        organisation=membership.organisation.code,
        activity=membership.default_activity,
        actor_party_id=membership.party_id,
    )


def resolve_session(request: HttpRequest) -> PortalSession:
    """The portal session of this request; raises PermissionDenied for non-residents."""
    membership = membership_of(request)
    if membership is None or membership.role != Role.RESIDENT or membership.party is None:
        raise PermissionDenied(
            "De persoonlijke pagina is voor inwoners en ondernemers die met DigiD of "
            "eHerkenning zijn ingelogd."
        )
    own = membership.party
    subject, authorisation = own, None
    chosen = request.session.get(SUBJECT_KEY)
    if chosen and chosen != str(own.uuid):
        authorisation = represented_by(own).filter(represented__uuid=chosen).first()
        if authorisation is None:
            # The authorisation ended or was withdrawn since it was chosen.
            request.session.pop(SUBJECT_KEY, None)
            request.session.pop(SUBJECT_NAME_KEY, None)
            messages.warning(
                request,
                "U kunt niet meer namens deze persoon handelen; u ziet weer uw eigen pagina.",
            )
        else:
            subject = authorisation.represented
    return PortalSession(
        membership=membership,
        own_party=own,
        subject=subject,
        authorisation=authorisation,
        subject_name=request.session.get(SUBJECT_NAME_KEY, "") if authorisation else "",
        ctx=portal_context(request, membership),
    )


def portal_view(view: View) -> View:
    """Log in first (the portal's own login page), then set ``request.portal``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        request.portal = resolve_session(request)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


def portal_of(request: HttpRequest) -> PortalSession:
    """The portal session set by :func:`portal_view` (typed access for views)."""
    return cast(PortalSession, request.portal)  # type: ignore[attr-defined]
