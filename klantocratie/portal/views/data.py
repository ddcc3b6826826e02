"""My data: every element about the subject per organisation, who may use it and why;
change what the source lets residents change, ask the source to correct the rest."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from klantocratie.clientview.selectors import build_client_view
from klantocratie.connectors.models import ChangeStatus
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.registry.models import DataElement
from klantocratie.validation import report_to_form

from .. import selectors
from ..access import PortalSession, portal_of, portal_view
from ..corrections import (
    EXPLANATION_MAX,
    PROPOSED_MAX,
    correctable,
    has_own_section,
    request_correction,
)
from ..models import CorrectionRequest

PAGE_SIZE = 20

_CHANGE_LEVELS = {
    ChangeStatus.DELIVERED: "success",
    ChangeStatus.PENDING: "warning",
    ChangeStatus.REJECTED: "error",
}


class ChangeForm(forms.Form):
    element = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label="Nieuwe waarde", max_length=254, required=False)


class CorrectionForm(forms.Form):
    proposed_value = forms.CharField(
        label="Wat moet het volgens u zijn?",
        max_length=PROPOSED_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    explanation = forms.CharField(
        label="Toelichting",
        help_text="Waarom klopt het niet? Noem eventueel een bewijsstuk (bijvoorbeeld een akte).",
        max_length=EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _changeable(portal: PortalSession) -> set[str]:
    """The data elements the subject may change directly (a grants check, no data read).

    Contacts and cases are changed by registering them, on their own pages.
    """
    activity = gate.resolve_activity(portal.ctx.activity)
    permitted = gate.permitted_elements(
        portal.ctx, activity, portal.subject, timezone.localdate(), change=True
    )
    return {code for code in permitted if not has_own_section(code)}


def _data_page(
    request: HttpRequest, portal: PortalSession, *, status: int = 200, **extra: Any
) -> HttpResponse:
    try:
        view = build_client_view(portal.ctx, portal.subject)
    except GateError as error:
        return render(request, "portal/data/mine.html", {"refused": error.message}, status=403)
    organisations = selectors.data_by_organisation(view)
    codes = [v.code for o in organisations for s in o.sections for v in s.values]
    elements = DataElement.objects.in_bulk(codes, field_name="code")
    changeable = _changeable(portal)
    # Elements one may fill in oneself but that no source holds yet (no e-mail address).
    unknown = DataElement.objects.filter(code__in=changeable - set(codes)).select_related(
        "source__organisation"
    )
    open_requests = {
        r.element.code: r
        for r in CorrectionRequest.objects.filter(party=portal.subject, decided_at__isnull=True)
        .select_related("element")
        .order_by("submitted_at")
    }
    return render(
        request,
        "portal/data/mine.html",
        {
            "organisations": organisations,
            "uses": selectors.element_uses(codes),
            "changeable": changeable,
            "unknown": unknown,
            "correctable": {c for c, e in elements.items() if correctable(e)},
            "open_requests": open_requests,
            "degraded": view.degraded,
            **extra,
        },
        status=status,
    )


@portal_view
def my_data(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    if request.method != "POST":
        return _data_page(request, portal)
    form = ChangeForm(request.POST)
    if not form.is_valid():
        return _data_page(request, portal, status=400, change_error="Kies een gegeven.")
    element, value = form.cleaned_data["element"], form.cleaned_data["value"]
    if element not in _changeable(portal):
        return _data_page(
            request,
            portal,
            status=400,
            change_element=element,
            change_level="error",
            change_message="Dit gegeven kunt u niet zelf wijzigen; vraag een correctie aan.",
        )
    try:
        result = gate.change(portal.ctx, portal.subject, element, value)
    except GateError as error:
        level, message = "error", error.message
    else:
        level, message = _CHANGE_LEVELS[ChangeStatus(result.status)], result.message
    if level != "error":
        messages.success(request, message)
        return redirect(f"{request.path}#gegeven-{element}")
    return _data_page(
        request,
        portal,
        status=400,
        change_element=element,
        change_level=level,
        change_message=message,
        change_value=value,
    )


@portal_view
def request_correction_view(request: HttpRequest, element: str) -> HttpResponse:
    portal = portal_of(request)
    target = DataElement.objects.select_related("source__organisation").filter(code=element).first()
    if target is None or target.party_type != portal.subject.party_type or not correctable(target):
        raise Http404("Dit gegeven kunt u hier niet laten corrigeren.")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = request_correction(
                portal.ctx,
                portal.subject,
                target.code,
                proposed_value=form.cleaned_data["proposed_value"],
                explanation=form.cleaned_data["explanation"],
            )
        except (ValidationError, GateError) as error:
            report_to_form(form, error)
        else:
            messages.success(
                request,
                f"Uw verzoek is doorgestuurd naar {target.source.organisation.name}. "
                "Hier ziet u hoe het ervoor staat.",
            )
            return redirect("portal:correction-detail", correction_uuid=correction.uuid)
    try:
        current = gate.read(
            portal.ctx, portal.subject, [target.code], operation="correctie voorbereiden"
        )
    except GateError as error:
        return render(request, "portal/data/mine.html", {"refused": error.message}, status=403)
    return render(
        request,
        "portal/data/correction_form.html",
        {"element": target, "current": current.values.get(target.code), "form": form},
        status=400 if form.is_bound else 200,
    )


@portal_view
def corrections(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    requests = CorrectionRequest.objects.filter(party=portal.subject).select_related(
        "element", "source__organisation"
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # The requests hold values about the subject: reading them is logged like the data.
    codes = sorted({correction.element.code for correction in page.object_list})
    try:
        if codes:
            with gate.access(
                portal.ctx, [portal.subject], codes, operation="eigen correctieverzoeken inzien"
            ):
                pass
    except GateError as error:
        return render(request, "portal/data/mine.html", {"refused": error.message}, status=403)
    return render(request, "portal/data/corrections.html", {"page": page})


@portal_view
def correction_detail(request: HttpRequest, correction_uuid: UUID) -> HttpResponse:
    portal = portal_of(request)
    # Another party's request is simply unknown here.
    correction = (
        CorrectionRequest.objects.filter(party=portal.subject, uuid=correction_uuid)
        .select_related("element", "source__organisation")
        .prefetch_related("steps")
        .first()
    )
    if correction is None:
        raise Http404("Onbekend verzoek.")
    try:
        with gate.access(
            portal.ctx,
            [portal.subject],
            [correction.element.code],
            operation="eigen correctieverzoek inzien",
        ):
            pass
    except GateError as error:
        return render(request, "portal/data/mine.html", {"refused": error.message}, status=403)
    return render(request, "portal/data/correction_detail.html", {"correction": correction})
