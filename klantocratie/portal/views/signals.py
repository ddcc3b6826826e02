"""Signals and offers about the resident: every signal with its reason and sources."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.signals import selectors, services
from klantocratie.signals.forms import ReactionForm
from klantocratie.signals.models import OfferState, Outcome, ReactionKind
from klantocratie.signals.presentation import evidence_rows, fact_lines
from klantocratie.validation import messages_of, report_to_form

from ..access import PortalSession, portal_of, portal_view

OFFER_THANKS = {
    "accept": "Dank u. U heeft het aanbod aangenomen; het team neemt contact met u op.",
    "decline": "U heeft het aanbod afgewezen. We bewaren dit signaal tot uiterlijk {until}.",
    "later": "U heeft gekozen voor 'niet nu'. U kunt het aanbod later alsnog aannemen.",
}


def _page(
    request: HttpRequest,
    portal: PortalSession,
    *,
    offer_errors: dict[int, list[str]] | None = None,
    reaction: tuple[int, ReactionForm] | None = None,
) -> HttpResponse:
    if portal.is_business:
        return render(request, "portal/signals.html", {"items": [], "business": True})
    signals = list(selectors.signals_about(portal.subject.pk))
    try:
        # One log record for the whole page: the person reads what is recorded about them.
        with gate.access(
            portal.ctx,
            [portal.subject],
            [services.SIGNAL_ELEMENT],
            operation="eigen signalen inzien",
        ):
            pass
    except GateError as error:
        return render(request, "portal/signals.html", {"items": [], "refused": error.message})
    organisations, sources = selectors.origin_names(signals)
    items = []
    for signal in signals:
        form = ReactionForm(signal=signal, organisations=organisations)
        if reaction is not None and reaction[0] == signal.pk:
            form = reaction[1]
        items.append(
            {
                "signal": signal,
                "facts": fact_lines(signal),
                "evidence": evidence_rows(signal, organisations, sources),
                "offer_open": signal.is_open
                and signal.offer_state in (OfferState.OPEN, OfferState.LATER),
                "offer_errors": (offer_errors or {}).get(signal.pk, []),
                "reaction_form": form,
                "outcome": Outcome(signal.outcome).label if signal.outcome else "",
            }
        )
    return render(request, "portal/signals.html", {"items": items})


@portal_view
def my_signals(request: HttpRequest) -> HttpResponse:
    return _page(request, portal_of(request))


@require_POST
@portal_view
def signal_action(request: HttpRequest, signal_uuid: UUID, action: str) -> HttpResponse:
    portal = portal_of(request)
    # Only the subject's own signals are found: another's uuid is simply unknown here.
    signal = selectors.signals_about(portal.subject.pk).filter(uuid=signal_uuid).first()
    if signal is None:
        raise Http404("Onbekend signaal.")
    target = f"{reverse('portal:signals')}#signaal-{signal.uuid}"
    if action == "aanbod":
        answer = request.POST.get("answer", "")
        try:
            services.answer_offer(portal.ctx, signal, answer)
        except (ValidationError, GateError) as error:
            return _page(request, portal, offer_errors={signal.pk: messages_of(error)})
        messages.success(
            request, OFFER_THANKS[answer].format(until=f"{signal.delete_after:%d-%m-%Y}")
        )
        return redirect(target)
    if action == "reactie":
        organisations, _sources = selectors.origin_names([signal])
        form = ReactionForm(request.POST, signal=signal, organisations=organisations)
        if form.is_valid():
            try:
                services.react(
                    portal.ctx,
                    signal,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    reference=form.cleaned_data["reference"],
                )
            except (ValidationError, GateError) as error:
                report_to_form(form, error)
            else:
                messages.success(
                    request,
                    "Dank u. Uw bezwaar is vastgelegd; een betwist gegeven gaat naar de bron "
                    "die het bijhoudt."
                    if form.cleaned_data["kind"] == ReactionKind.CONTEST
                    else "Dank u. Uw reactie is vastgelegd.",
                )
                return redirect(target)
        return _page(request, portal, reaction=(signal.pk, form))
    raise Http404("Onbekende handeling.")
