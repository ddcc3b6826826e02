"""The participation pages of the personal page: what one follows, the polls, the results.

Every page works on the portal's subject with the portal's gate context. A business is
told that participation is for residents. Someone acting for another person may manage
that person's subscriptions but not answer for them: an answer is personal.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from klantocratie.portal.access import PortalSession, portal_of, portal_view
from klantocratie.privacy.errors import GateError

from . import selectors, services
from .forms import AnswerForm, SubscriptionForm
from .models import Poll
from .results import poll_results

RESULTS_PAGE_SIZE = 10
ACTING_FOR_OTHER = (
    "U handelt nu namens {name}. Een peiling beantwoordt u alleen voor uzelf; "
    "{name} kan zelf inloggen om mee te doen."
)


def _residents_only(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/residents_only.html")


def _buurt_if_needed(portal: PortalSession, polls: list[Poll]) -> str | None:
    """The subject's buurt, read only when a poll is limited to some areas."""
    if not any(poll.areas for poll in polls):
        return None
    try:
        return services.home_buurt(portal.ctx, portal.subject)
    except GateError:
        return ""


@portal_view
def mine(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    if portal.is_business:
        return _residents_only(request)
    party = portal.subject
    open_polls = list(selectors.open_polls())
    buurt = _buurt_if_needed(portal, open_polls)
    open_entries = selectors.entries(party, open_polls, buurt)
    page = Paginator(selectors.closed_polls(), RESULTS_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    closed_entries = selectors.entries(party, list(page.object_list), None)
    return render(
        request,
        "participation/mine.html",
        {
            "subscriptions": selectors.subscriptions_of(party),
            "for_you": [e for e in open_entries if e.followed and e.for_them],
            "other_open": [e for e in open_entries if not e.followed and e.for_them],
            "closed": closed_entries,
            "page": page,
        },
    )


@portal_view
def subscribe(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    if portal.is_business:
        return _residents_only(request)
    party = portal.subject
    current = list(selectors.subscriptions_of(party))
    form_kwargs = {"themes": selectors.themes(), "council_members": selectors.council_members()}
    if request.method == "POST":
        form = SubscriptionForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                changes = services.set_subscriptions(
                    party,
                    themes=form.cleaned_data["themes"],
                    council_members=form.cleaned_data["council_members"],
                    wants_email=form.cleaned_data["wants_email"],
                    email=form.cleaned_data["email"] or "",
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                parts = []
                if changes.added:
                    parts.append(f"U volgt nu ook: {', '.join(changes.added)}.")
                if changes.removed:
                    parts.append(f"U volgt niet meer: {', '.join(changes.removed)}.")
                messages.success(request, " ".join(parts) or "Uw keuzes zijn bewaard.")
                return redirect("participation:mine")
    else:
        email_subscription = next((s for s in current if s.wants_email), None)
        form = SubscriptionForm(
            initial={
                "themes": [s.theme_id for s in current if s.theme_id],
                "council_members": [s.council_member_id for s in current if s.council_member_id],
                "wants_email": email_subscription is not None,
                "email": services.email_on_file(portal.ctx, party),
            },
            **form_kwargs,
        )
    return render(request, "participation/subscribe.html", {"form": form})


@portal_view
@require_POST
def unsubscribe(request: HttpRequest, subscription_uuid: UUID) -> HttpResponse:
    portal = portal_of(request)
    subscription = selectors.subscription_of(portal.subject, subscription_uuid)
    if subscription is None:
        raise Http404("Geen abonnement van u.")
    target = str(subscription.target)
    services.unsubscribe(subscription)
    messages.success(request, f"U volgt {target} niet meer.")
    return redirect("participation:mine")


def _poll_or_404(poll_uuid: UUID) -> Poll:
    poll = selectors.public_poll(poll_uuid)
    if poll is None:
        raise Http404("Deze peiling bestaat niet of is nog niet gepubliceerd.")
    return poll


@portal_view
def poll_detail(request: HttpRequest, poll_uuid: UUID) -> HttpResponse:
    portal = portal_of(request)
    if portal.is_business:
        return _residents_only(request)
    poll = _poll_or_404(poll_uuid)
    party = portal.subject
    services.mark_seen(party, poll)
    answered = selectors.has_answered(party, poll)
    form = AnswerForm(request.POST if request.method == "POST" else None, poll=poll)
    problems: list[str] = []
    may_answer = poll.is_open() and not answered and not portal.acting_for_other
    # A refused answer (closed, already given, for someone else) gets the service's reason.
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_poll(portal.ctx, party, poll, form.cleaned_data["option"])
        except ValidationError as error:
            for name, field_problems in error.message_dict.items():
                for problem in field_problems:
                    if name == "option":
                        form.add_error("option", problem)
                    else:
                        problems.append(problem)
        except GateError as error:
            problems.append(error.message)
        else:
            messages.success(request, "Dank u wel, uw antwoord is bewaard. Dit is de tussenstand.")
            return redirect("participation:results", poll_uuid=poll.uuid)
    outside_area = ""
    if may_answer and poll.areas and request.method == "GET":
        buurt = _buurt_if_needed(portal, [poll])
        if buurt is not None and not services.lives_in(poll, buurt):
            outside_area = services.areas_text(poll)
    return render(
        request,
        "participation/poll.html",
        {
            "poll": poll,
            "form": form,
            "answered": answered,
            "may_answer": may_answer and not outside_area,
            "outside_area": outside_area,
            "areas_text": services.areas_text(poll),
            "problems": problems,
            "acting_for_other_text": ACTING_FOR_OTHER.format(
                name=portal.subject_name or "een ander"
            )
            if portal.acting_for_other
            else "",
            "results_visible": poll.is_closed() or answered,
        },
    )


@portal_view
def results(request: HttpRequest, poll_uuid: UUID) -> HttpResponse:
    portal = portal_of(request)
    if portal.is_business:
        return _residents_only(request)
    poll = _poll_or_404(poll_uuid)
    closed = poll.is_closed()
    if not closed and not selectors.has_answered(portal.subject, poll):
        messages.info(
            request, "De uitslag ziet u nadat u heeft geantwoord, of als de peiling is gesloten."
        )
        return redirect("participation:poll", poll_uuid=poll.uuid)
    return render(
        request,
        "participation/results.html",
        {"poll": poll, "results": poll_results(poll, interim=not closed)},
    )
