"""The review queue: a trained employee decides the links the model was unsure of.

The queue names no one (source, reference, certainty), so listing reads no personal
data. Opening a link reads the candidate's name, birth and address and the partner's
record through the gate, logged as a read of that person; a decision is a change
through the gate. Links in force can be undone from the same place, with a reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from klantocratie.accounts.permissions import access_context, role_required
from klantocratie.accounts.roles import Role
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.registry.models import Source
from klantocratie.validation import report_to_form

from . import selectors, services
from .connector import ACCEPT, UNDO
from .forms import DecisionForm, UndoForm
from .models import Link, LinkStatus

PAGE_SIZE = 25
SORTS = {
    "zekerst": ("-match_probability", "Zekerste eerst"),
    "onzekerst": ("match_probability", "Onzekerste eerst"),
    "oudste": ("created_at", "Oudste eerst"),
}
COMPARED = ("person.name", "person.birth", "person.address", "linkage.candidates", "linkage.links")


def _queue_page(request: HttpRequest, links: Any) -> dict[str, Any]:
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    return {"page": page, "querystring": params.urlencode()}


@role_required(Role.LINKAGE_REVIEWER)
def queue(request: HttpRequest) -> HttpResponse:
    source = request.GET.get("bron", "")
    sort = request.GET.get("sorteer", "zekerst")
    if sort not in SORTS:
        sort = "zekerst"
    links = selectors.review_queue(source_code=source, order=SORTS[sort][0])
    return render(
        request,
        "linkage/queue.html",
        {
            **_queue_page(request, links),
            "sources": Source.objects.filter(partner_records__isnull=False).distinct(),
            "counts": selectors.queue_counts(),
            "source": source,
            "sort": sort,
            "sorts": {key: label for key, (_order, label) in SORTS.items()},
        },
    )


@role_required(Role.LINKAGE_REVIEWER)
def linked(request: HttpRequest) -> HttpResponse:
    """Links in force and earlier decisions, to find one that must be undone."""
    source = request.GET.get("bron", "")
    reference = request.GET.get("kenmerk", "").strip()[:64]
    links = selectors.links_in_force(source_code=source, reference=reference)
    return render(
        request,
        "linkage/linked.html",
        {
            **_queue_page(request, links),
            "sources": Source.objects.filter(partner_records__isnull=False).distinct(),
            "source": source,
            "reference": reference,
            "decisions": selectors.recent_decisions(),
        },
    )


def _render_link(
    request: HttpRequest,
    link: Link,
    decision_form: DecisionForm | None = None,
    undo_form: UndoForm | None = None,
) -> HttpResponse:
    under_review, in_force = link.status == LinkStatus.REVIEW, link.in_force
    if not (under_review or in_force):
        # A decided link needs no one's data: it shows who decided what, and why.
        return render(request, "linkage/link.html", {"link": link, "decided": True})
    try:
        result = gate.read(access_context(request), link.party, list(COMPARED))
    except GateError as error:
        return render(request, "linkage/denied.html", {"message": str(error)}, status=403)
    values = {code: value.value for code, value in result.values.items()}
    shown = [
        *(values.get("linkage.candidates") or []),
        *(values.get("linkage.links") or []),
    ]
    record = next((entry for entry in shown if entry.get("koppeling") == link.pk), None)
    return render(
        request,
        "linkage/link.html",
        {
            "link": link,
            "record": record,
            "person_name": values.get("person.name"),
            "person_birth": values.get("person.birth"),
            "person_address": values.get("person.address"),
            "missing": result.missing,
            "decision_form": decision_form or DecisionForm(),
            "undo_form": undo_form or UndoForm(),
            "under_review": under_review,
            "in_force": in_force,
        },
    )


@role_required(Role.LINKAGE_REVIEWER)
def detail(request: HttpRequest, link_id: int) -> HttpResponse:
    return _render_link(
        request, get_object_or_404(Link.objects.select_related("model"), pk=link_id)
    )


@require_POST
@role_required(Role.LINKAGE_REVIEWER)
def decide(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=link_id)
    undoing = request.POST.get("besluit") == UNDO
    form: DecisionForm | UndoForm = (
        UndoForm(request.POST) if undoing else DecisionForm(request.POST)
    )
    if form.is_valid():
        try:
            result = services.decide(
                access_context(request),
                link,
                form.cleaned_data["besluit"],
                form.cleaned_data["toelichting"],
            )
        except (ValidationError, GateError) as error:
            report_to_form(form, error)
        else:
            if result.status != "delivered":
                # Decided meanwhile by someone else, or no longer in this status.
                messages.error(request, result.message)
                return redirect("linkage:detail", link_id=link.pk)
            decided = {ACCEPT: "geaccepteerd", UNDO: "ongedaan gemaakt"}.get(
                form.cleaned_data["besluit"], "afgewezen"
            )
            messages.success(request, f"Koppeling {link.record.reference} is {decided}.")
            return redirect("linkage:linked" if undoing else "linkage:queue")
    link.refresh_from_db()
    if undoing:
        return _render_link(request, link, undo_form=form)  # type: ignore[arg-type]
    return _render_link(request, link, decision_form=form)  # type: ignore[arg-type]
