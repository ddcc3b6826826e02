from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .middleware import SESSION_KEY
from .models import Membership
from .selectors import active_memberships


def home(request: HttpRequest) -> HttpResponse:
    """Landing page: the demo's role switcher, or what the active role can do."""
    demo_accounts = []
    if settings.DEMO_MODE:
        demo_accounts = list(
            Membership.objects.filter(user__username__startswith="demo-")
            .select_related("user", "organisation")
            .order_by("user__username")
        )
    return render(request, "accounts/home.html", {"demo_accounts": demo_accounts})


@require_POST
def demo_login(request: HttpRequest, username: str) -> HttpResponse:
    """One click to work as a demo role. Exists only in demo mode, only for demo users."""
    if not settings.DEMO_MODE or not username.startswith("demo-"):
        raise Http404
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Http404
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    first = active_memberships(user).first()
    if first:
        request.session[SESSION_KEY] = first.pk
    return redirect("home")


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("membership", "")
    membership = (
        active_memberships(request.user).filter(pk=chosen).first() if chosen.isdigit() else None
    )
    if membership is None:
        messages.error(request, "Deze rol hoort niet bij uw account.")
    else:
        request.session[SESSION_KEY] = membership.pk
        messages.success(
            request,
            f"U werkt nu als {membership.get_role_display()} bij {membership.organisation}.",
        )
    return redirect("home")
