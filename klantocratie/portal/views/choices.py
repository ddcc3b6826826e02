"""My privacy choices: consent to optional extras, objection to proactive outreach, and
a receipt for every choice. Giving and withdrawing are the same button on the same page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from klantocratie.privacy import choices, gate, receipts, selectors
from klantocratie.privacy.errors import AccessDenied
from klantocratie.privacy.models import ChoicePurpose, PrivacyChoice

from ..access import PortalSession, portal_of, portal_view
from ..selectors import display_name

HISTORY_PER_PAGE = 20
# The form's two answers; one button sends one of them.
ANSWERS = {"geven": True, "intrekken": False}


def _page(
    request: HttpRequest,
    portal: PortalSession,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, object] = {
        "may_decide": False,
        "has_errors": bool(errors),
        "kind_label": (
            portal.authorisation.get_kind_display().lower() if portal.authorisation else ""
        ),
    }
    if not portal.is_business:
        # Reading the person's choices is processing of their data: through the gate.
        with gate.access(portal.ctx, [portal.subject], [], operation="privacykeuzes inzien"):
            states = selectors.choice_overview(portal.subject)
            history = Paginator(selectors.choice_history(portal.subject), HISTORY_PER_PAGE)
            context.update(
                entries=[(state, (errors or {}).get(state.purpose.code, [])) for state in states],
                history=history.get_page(request.GET.get("pagina")),
                may_decide=choices.may_decide(portal.ctx, portal.subject),
            )
    return render(request, "portal/privacy/choices.html", context, status=status)


@portal_view
def my_choices(request: HttpRequest) -> HttpResponse:
    return _page(request, portal_of(request))


@require_POST
@portal_view
def change_choice(request: HttpRequest, purpose: str) -> HttpResponse:
    portal = portal_of(request)
    chosen = get_object_or_404(ChoicePurpose, code=purpose)
    answer = request.POST.get("keuze", "")
    try:
        if answer not in ANSWERS:
            raise ValidationError({"keuze": "Kies geven of intrekken."})
        choice = choices.decide(portal.ctx, portal.subject, chosen.code, give=ANSWERS[answer])
    except ValidationError as error:
        return _page(request, portal, {chosen.code: error.messages}, status=400)
    except AccessDenied as refusal:
        return _page(request, portal, {chosen.code: [refusal.message]}, status=403)
    messages.success(
        request,
        f"{choice.action_label}: {chosen.title}. Het bewijs staat onder "
        "Geschiedenis van uw keuzes.",
    )
    return redirect(reverse("portal:choices") + f"#keuze-{chosen.code}")


@portal_view
def receipt(request: HttpRequest, receipt_uuid: str) -> HttpResponse:
    portal = portal_of(request)
    choice = selectors.receipt_choice(portal.subject, receipt_uuid)
    if choice is None:
        owner = PrivacyChoice.objects.filter(uuid=receipt_uuid).select_related("party").first()
        if owner is not None:
            # Someone else's receipt number: the attempt is audited, the answer says nothing.
            gate.record_refusal(
                portal.ctx, owner.party, "bewijs privacykeuze", "Bewijs van een ander."
            )
        raise Http404
    choice = receipts.issue(choice)
    name = display_name(portal.ctx, portal.subject)
    title = selectors.purpose_title(choice.purpose)
    pdf = receipts.receipt_pdf(receipts.receipt_content(choice, name, title))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bewijs-privacykeuze-{choice.uuid}.pdf"'
    )
    return response
