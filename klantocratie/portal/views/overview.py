"""The personal page's front: what needs the resident, whom to call, and quick routes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klantocratie.feedback.selectors import pending_prompts
from klantocratie.participation.selectors import unseen_poll_ids
from klantocratie.privacy.errors import GateError

from ..access import portal_of, portal_view
from ..askonce.selectors import ranked_forms
from ..models import CorrectionRequest
from ..navigation import sections_for
from ..selectors_cases import contact_persons

# The overview offers this many forms; the rest are one click further.
QUICK_FORMS = 3


@portal_view
def overview(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    try:
        persons = contact_persons(portal.ctx, portal.subject)
    except GateError:
        # Without access to the case records the page still offers the general entry.
        persons = []
    forms = ranked_forms(portal.ctx, portal.subject)
    try:
        questions = len(pending_prompts(portal.ctx, portal.subject))
    except GateError:
        questions = 0
    new_polls = 0 if portal.is_business else len(unseen_poll_ids(portal.subject))
    return render(
        request,
        "portal/overview.html",
        {
            "sections": sections_for(portal.is_business),
            "contact_persons": persons,
            # Used before first; a resident who never asked anything sees the first few.
            "quick_forms": forms[:QUICK_FORMS],
            "more_forms": len(forms) > QUICK_FORMS,
            "open_corrections": CorrectionRequest.objects.filter(
                party=portal.subject, decided_at__isnull=True
            ).count(),
            "feedback_questions": questions,
            "new_polls": new_polls,
            "general_phone": portal.membership.organisation.phone,
            "general_organisation": portal.membership.organisation.name,
        },
    )
