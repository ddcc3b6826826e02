from typing import Any

from django.http import HttpRequest

from .navigation import sections_for


def portal(request: HttpRequest) -> dict[str, Any]:
    """The portal's navigation, on portal pages only (set by the portal_view decorator)."""
    session = getattr(request, "portal", None)
    if session is None:
        return {}
    return {"portal": session, "portal_sections": sections_for(session.is_business)}
