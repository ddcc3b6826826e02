"""Feedback pages: the resident's (under /mijn/feedback/) and the staff figures.

The resident's pages work on the portal subject with the portal's gate context: the
questions about their own recent contacts and closed cases, free-text feedback, their
feedback so far, and switching provider. A uuid in the URL that is not the subject's
own contact or case answers 404, and nothing is stored. The figures page is for policy
analysts and case workers and shows only suppressed aggregates.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from klantocratie.accounts.permissions import role_required
from klantocratie.accounts.roles import Role
from klantocratie.portal.access import portal_of, portal_view
from klantocratie.privacy.errors import GateError
from klantocratie.registry.models import Organisation

from . import selectors, services
from .models import SCORES, TEXT_MAX, ExitReason

FIGURE_ROLES = (Role.POLICY_ANALYST, Role.CASE_WORKER)
# The periods the figures page offers: days back, or everything.
PERIODS = {"90": "Laatste 3 maanden", "365": "Laatste 12 maanden", "alles": "Alles"}
DEFAULT_PERIOD = "365"
THANKS = "Dank u wel voor uw mening. Wij gebruiken die om onze dienstverlening te verbeteren."


def _errors(error: ValidationError | GateError) -> dict[str, list[str]]:
    """A service's errors per form field; the gate's refusal and the rest under ''."""
    if isinstance(error, GateError):
        return {"": [error.message]}
    if hasattr(error, "error_dict"):
        return {name: list(problems) for name, problems in error.message_dict.items()}
    return {"": list(error.messages)}


def _next_url(request: HttpRequest) -> str:
    """Where to go after answering: the embedding page, when it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _score_choices() -> list[tuple[int, str]]:
    return sorted(SCORES.items(), reverse=True)


def _page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    portal = portal_of(request)
    context: dict[str, Any] = {
        "scores": _score_choices(),
        "text_max": TEXT_MAX,
        "organisations": Organisation.objects.order_by("name"),
    }
    try:
        context["prompts"] = selectors.pending_prompts(portal.ctx, portal.subject)
        context["switches"] = selectors.switchable_cases(portal.ctx, portal.subject)
        context["history"] = selectors.feedback_history(
            portal.ctx, portal.subject, request.GET.get("pagina")
        )
    except GateError as error:
        context["refused"] = error.message
    context.update(extra)
    return context


@portal_view
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/mine.html", _page_context(request))


@portal_view
@require_POST
def give(request: HttpRequest) -> HttpResponse:
    """Free-text feedback, optionally about one organisation."""
    portal = portal_of(request)
    values = {
        "toelichting": request.POST.get("toelichting", ""),
        "organisatie": request.POST.get("organisatie", ""),
    }
    try:
        services.give_feedback(
            portal.ctx,
            portal.subject,
            text=values["toelichting"],
            organisation=values["organisatie"],
        )
    except (ValidationError, GateError) as error:
        context = _page_context(request, free_errors=_errors(error), free_values=values)
        return render(request, "feedback/mine.html", context, status=400)
    messages.success(request, THANKS)
    return redirect("feedback:mine")


def _item(item_uuid: uuid.UUID | str) -> uuid.UUID:
    return item_uuid if isinstance(item_uuid, uuid.UUID) else uuid.UUID(str(item_uuid))


@portal_view
def satisfaction(request: HttpRequest, about: str, item_uuid: uuid.UUID) -> HttpResponse:
    """One satisfaction question on its own page (from a notice or without the
    overview), and where every question form posts its answer."""
    portal = portal_of(request)
    item = _item(item_uuid)
    try:
        prompt = selectors.prompt_for(portal.ctx, portal.subject, about, item)
    except GateError as error:
        messages.error(request, error.message)
        return redirect("feedback:mine")
    if prompt is None:
        raise Http404("Dit contact of deze zaak is niet van u, of nog niet afgerond.")
    if request.method == "POST":
        values = {
            "score": request.POST.get("score", ""),
            "toelichting": request.POST.get("toelichting", ""),
        }
        try:
            services.give_satisfaction(
                portal.ctx,
                portal.subject,
                about=about,
                item_uuid=str(item),
                score=values["score"],
                text=values["toelichting"],
            )
        except services.UnknownItem:
            raise Http404("Dit contact of deze zaak is niet van u.") from None
        except (ValidationError, GateError) as error:
            return render(
                request,
                "feedback/satisfaction.html",
                {
                    "prompt": prompt,
                    "scores": _score_choices(),
                    "text_max": TEXT_MAX,
                    "prompt_errors": _errors(error),
                    "prompt_values": values,
                    "next": _next_url(request),
                },
                status=400,
            )
        messages.success(request, THANKS)
        return redirect(_next_url(request) or "feedback:mine")
    if selectors.already_answered(portal.subject, about, item):
        messages.info(request, "U hebt deze vraag al beantwoord. Dank u wel.")
        return redirect("feedback:mine")
    return render(
        request,
        "feedback/satisfaction.html",
        {"prompt": prompt, "scores": _score_choices(), "text_max": TEXT_MAX},
    )


@portal_view
def switch(request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
    """Leave the current provider of a running case for another, saying why."""
    portal = portal_of(request)
    item = _item(case_uuid)
    try:
        option = selectors.switch_for(portal.ctx, portal.subject, item)
    except GateError as error:
        messages.error(request, error.message)
        return redirect("feedback:mine")
    if option is None:
        raise Http404("Bij deze zaak kunt u niet van aanbieder wisselen.")
    context: dict[str, Any] = {
        "option": option,
        "reasons": ExitReason.choices,
        "text_max": TEXT_MAX,
        "values": {},
        "errors": {},
    }
    if request.method == "POST":
        values = {
            "aanbieder": request.POST.get("aanbieder", ""),
            "reden": request.POST.get("reden", ""),
            "toelichting": request.POST.get("toelichting", ""),
        }
        try:
            services.switch_provider(
                portal.ctx,
                portal.subject,
                case_uuid=str(item),
                provider_code=values["aanbieder"],
                reason=values["reden"],
                text=values["toelichting"],
            )
        except services.UnknownItem:
            raise Http404("Bij deze zaak kunt u niet van aanbieder wisselen.") from None
        except (ValidationError, GateError) as error:
            context.update(values=values, errors=_errors(error))
            return render(request, "feedback/switch.html", context, status=400)
        chosen = next(p for p in option.alternatives if p.code == values["aanbieder"])
        messages.success(
            request,
            f"U bent overgestapt naar {chosen}. {chosen} neemt binnen "
            f"{chosen.response_days} dagen contact met u op. Dank u voor het noemen van uw reden.",
        )
        return redirect("feedback:mine")
    return render(request, "feedback/switch.html", context)


@role_required(*FIGURE_ROLES)
def figures(request: HttpRequest) -> HttpResponse:
    """Satisfaction per product and per provider, small numbers suppressed."""
    period = request.GET.get("periode", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    since = None if period == "alles" else timezone.localdate() - timedelta(days=int(period))
    return render(
        request,
        "feedback/figures.html",
        {"figures": selectors.figures(since), "periods": PERIODS, "period": period},
    )
