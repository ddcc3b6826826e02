from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .selectors import active_memberships


def membership(request: HttpRequest) -> dict[str, Any]:
    return {
        "membership": getattr(request, "membership", None),
        "memberships": active_memberships(request.user) if hasattr(request, "user") else [],
        "demo_mode": settings.DEMO_MODE,
        "oidc_enabled": settings.OIDC_ENABLED,
    }
