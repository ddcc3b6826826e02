from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import active_memberships

SESSION_KEY = "klantocratie_membership"


class ActiveMembershipMiddleware:
    """Attach the membership the user works in now as ``request.membership`` (or None).

    The choice is kept in the session; without one, the user's first membership counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = active_memberships(request.user)
            chosen = request.session.get(SESSION_KEY)
            membership = memberships.filter(pk=chosen).first() if chosen else None
            request.membership = membership or memberships.first()  # type: ignore[attr-defined]
        return self.get_response(request)
