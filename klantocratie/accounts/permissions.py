"""Who may see what: every page and endpoint names the roles it is for."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

if TYPE_CHECKING:
    # Importing DRF's views here would import this module again through DRF's settings.
    from rest_framework.views import APIView

from klantocratie.privacy.gate import AccessContext

from .models import Membership


def membership_of(request: HttpRequest | Request) -> Membership | None:
    return getattr(request, "membership", None) or getattr(
        getattr(request, "_request", None), "membership", None
    )


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str) -> Callable[[View], View]:
    """View decorator: log in first, then hold one of ``roles`` in the active membership."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_of(request)
            if membership is None or membership.role not in roles:
                raise PermissionDenied("Uw rol geeft geen toegang tot deze pagina.")
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorate


class HasActiveMembership(BasePermission):
    """DRF default: authenticated with a membership whose role the view allows.

    Views list their roles in ``allowed_roles``; a view that lists none is closed.
    """

    message = "Uw rol geeft geen toegang tot dit endpoint."

    def has_permission(self, request: Request, view: "APIView") -> bool:
        membership = membership_of(request)
        allowed: Iterable[str] = getattr(view, "allowed_roles", ())
        return bool(
            request.user
            and request.user.is_authenticated
            and membership
            and membership.role in allowed
        )


def access_context(request: HttpRequest | Request, activity: str | None = None) -> AccessContext:
    """The gate context of the person making this request, in their active membership."""
    membership = membership_of(request)
    if membership is None:
        raise PermissionDenied("Geen actieve rol.")
    return AccessContext(
        actor=request.user.get_username(),
        role=membership.role,
        organisation=membership.organisation.code,
        activity=activity or membership.default_activity,
        actor_party_id=membership.party_id,
    )
