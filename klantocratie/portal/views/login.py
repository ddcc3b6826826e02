"""Logging in to the personal page, and choosing for whom to act."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from klantocratie.accounts.middleware import SESSION_KEY
from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role

from .. import selectors
from ..access import SUBJECT_KEY, SUBJECT_NAME_KEY, portal_of, portal_view

# What each demo login shows; the accounts themselves come from load_demo.
DEMO_STORIES = {
    "demo-inwoner": "Inwoner met gegevens bij alle organisaties, lopende zaken en aanbod.",
    "demo-inwoner-daan": "Haar zoon, die een machtiging van zijn moeder heeft.",
    "demo-ouder": "Ouder die ook de zaken van een minderjarig kind regelt.",
    "demo-ondernemer": "Eenmanszaak, ingelogd met eHerkenning (KvK-nummer).",
}


def login_page(request: HttpRequest) -> HttpResponse:
    demo_accounts = []
    if settings.DEMO_MODE:
        demo_accounts = [
            {"membership": m, "story": DEMO_STORIES.get(m.user.username, "")}
            for m in Membership.objects.filter(
                role=Role.RESIDENT, user__username__startswith="demo-", party__isnull=False
            )
            .select_related("user", "party")
            .order_by("user__username")
        ]
    return render(
        request,
        "portal/login.html",
        {"demo_accounts": demo_accounts, "next": request.GET.get("next", "")},
    )


@require_POST
def demo_login(request: HttpRequest, username: str) -> HttpResponse:
    """One click to be a demo resident. Exists only in demo mode, only for demo users."""
    if not settings.DEMO_MODE or not username.startswith("demo-"):
        raise Http404
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    membership = (
        Membership.objects.filter(user=user, role=Role.RESIDENT, party__isnull=False).first()
        if user
        else None
    )
    if user is None or membership is None:
        raise Http404
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = membership.pk
    return redirect("portal:overview")


@portal_view
def choose_subject(request: HttpRequest) -> HttpResponse:
    """Act for oneself or for someone one holds an authorisation from."""
    portal = portal_of(request)
    options = selectors.subjects_for(portal)
    if request.method == "POST":
        chosen = request.POST.get("subject", "")
        match = next((o for o in options if str(o.party.uuid) == chosen), None)
        if match is None:
            messages.error(request, "U kunt niet namens deze persoon of organisatie handelen.")
            return redirect("portal:subject")
        if match.authorisation is None:
            request.session.pop(SUBJECT_KEY, None)
            request.session.pop(SUBJECT_NAME_KEY, None)
            messages.success(request, "U ziet uw eigen pagina.")
        else:
            request.session[SUBJECT_KEY] = str(match.party.uuid)
            request.session[SUBJECT_NAME_KEY] = match.name
            messages.success(request, f"U handelt nu namens {match.name}.")
        return redirect("portal:overview")
    return render(request, "portal/subject.html", {"options": options})
