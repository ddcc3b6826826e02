"""My cases: every case at every organisation, and what the resident can do in one.

A case page shows the status history in the resident's words, the next step and the
expected date, the documents, whom to call, and the choices the case type offers:
sending documents or photos, answering an offer on a decision, asking a second opinion
and choosing a provider. Each change goes through the case services with the portal's
context, so the gate checks again that the resident may act for the case's client.

A case is looked up among the subject's own cases only: any other case number in a URL
answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role
from klantocratie.cases import choices, services
from klantocratie.cases.models import Case, DocumentType
from klantocratie.contacts import uploads
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from .. import selectors_cases
from ..access import PortalSession, portal_of, portal_view

PAGE_SIZE = 10


def _upload_types() -> list[str]:
    """The accepted file types for documents: those of attachments, without e-mails."""
    return [t for t in uploads.allowed_types() if t != uploads.EMAIL_CONTENT_TYPE]


def upload_limits() -> str:
    """The limits, stated before the resident chooses a file."""
    return (
        f"Een PDF-bestand of een foto ({uploads.describe_types(_upload_types())}), "
        f"hoogstens {uploads.human_size(uploads.max_bytes())}. Van foto's bewaren we "
        "alleen het beeld: de plaats waar de foto is gemaakt (GPS) en andere "
        "verborgen gegevens halen we eruit."
    )


class UploadForm(forms.Form):
    documenttype = forms.ChoiceField(label="Soort document")
    titel = forms.CharField(
        label="Titel",
        required=False,
        max_length=200,
        help_text="Bijvoorbeeld 'Foto van de stoep'. Leeg: de naam van het bestand.",
    )
    bestand = forms.FileField(label="Bestand")

    def __init__(self, *args: Any, document_types: list[DocumentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["documenttype"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [(t.code, t.description) for t in document_types]
        self.fields["bestand"].help_text = upload_limits()

    def clean_bestand(self) -> Any:
        file = self.cleaned_data["bestand"]
        if file.size > uploads.max_bytes():
            # Refused before the file is read into memory.
            raise ValidationError(
                f"Het bestand is te groot ({uploads.human_size(file.size)}); "
                f"de grens is {uploads.human_size(uploads.max_bytes())}."
            )
        return file


def _case_or_404(portal: PortalSession, case_uuid: str) -> Case:
    case = selectors_cases.case_of(portal.ctx, portal.subject, str(case_uuid))
    if case is None:
        raise Http404("Deze zaak staat niet op uw pagina.")
    return case


def _report(error: ValidationError | GateError) -> dict[str, list[str]]:
    """A service's errors by field; a gate refusal is about the whole case."""
    if isinstance(error, GateError):
        return {"zaak": [error.message]}
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"zaak": list(error.messages)}


@portal_view
def my_cases(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    try:
        found = selectors_cases.cases_of(portal.ctx, portal.subject)
    except GateError as error:
        return render(request, "portal/cases/list.html", {"refused": error.message}, status=403)
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "portal/cases/list.html",
        {"page": page, "notices": found.notices, "register_missing": found.register_missing},
    )


def _detail(
    request: HttpRequest,
    portal: PortalSession,
    case: Case,
    *,
    form: UploadForm | None = None,
    action_errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    subject = portal.subject
    document_types = selectors_cases.uploadable_types(case)
    if form is None and document_types:
        form = UploadForm(document_types=document_types, auto_id="upload-%s")
    return render(
        request,
        "portal/cases/detail.html",
        {
            "case": case,
            "statuses": list(case.statuses.all()),
            "next_step": selectors_cases.next_step(case, subject),
            "expected": selectors_cases.expected_date(case),
            "documents": _documents(case, request.user.get_username()),
            "form": form if document_types else None,
            "accept": ",".join(_upload_types()),
            "offers": [o for o in case.offers.all() if o.party_id == subject.pk],
            "providers": list(case.case_type_version.providers.all()) if case.is_open else [],
            "switch_from": selectors_cases.provider_switch_from(case),
            "second_opinion_terms": choices.second_opinion_open(case),
            "second_opinion": getattr(case, "second_opinion", None),
            "contact": selectors_cases.contact_person(case),
            "notices": selectors_cases.notices_of(case, subject),
            "offer_errors": (action_errors or {}).get("aanbod", []),
            "provider_errors": (action_errors or {}).get("aanbieder", []),
            "opinion_errors": (action_errors or {}).get("second-opinion", []),
        },
        status=status,
    )


def _documents(case: Case, own_username: str) -> list[dict[str, Any]]:
    """The visible documents with who sent them: the resident, someone on the resident's
    side through the personal page, or the organisation."""
    documents = list(case.documents.all())
    from_residents = set(
        Membership.objects.filter(
            role=Role.RESIDENT, user__username__in={d.added_by for d in documents}
        ).values_list("user__username", flat=True)
    )
    return [
        {
            "document": document,
            "kind": uploads.describe_types([document.content_type]),
            "size": uploads.human_size(document.size),
            "sender": (
                "U"
                if document.added_by == own_username
                else "Via Mijn pagina"
                if document.added_by in from_residents
                else case.organisation.name
            ),
        }
        for document in documents
    ]


@portal_view
def case_detail(request: HttpRequest, case_uuid: str) -> HttpResponse:
    portal = portal_of(request)
    try:
        case = _case_or_404(portal, case_uuid)
    except GateError as error:
        return render(request, "portal/cases/list.html", {"refused": error.message}, status=403)
    return _detail(request, portal, case)


@portal_view
def document(request: HttpRequest, case_uuid: str, document_uuid: str) -> HttpResponseBase:
    portal = portal_of(request)
    try:
        item = selectors_cases.document_of(
            portal.ctx, portal.subject, str(case_uuid), str(document_uuid)
        )
    except GateError as error:
        return render(request, "portal/cases/list.html", {"refused": error.message}, status=403)
    if item is None:
        raise Http404("Dit document staat niet op uw pagina.")
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=item.original_name,
    )


@portal_view
@require_POST
def upload(request: HttpRequest, case_uuid: str) -> HttpResponse:
    portal = portal_of(request)
    try:
        case = _case_or_404(portal, case_uuid)
    except GateError as error:
        return render(request, "portal/cases/list.html", {"refused": error.message}, status=403)
    document_types = selectors_cases.uploadable_types(case)
    if not document_types:
        messages.error(request, "Bij deze zaak kunt u geen documenten sturen.")
        return redirect("portal:case", case_uuid=case.uuid)
    form = UploadForm(
        request.POST, request.FILES, document_types=document_types, auto_id="upload-%s"
    )
    if form.is_valid():
        file = form.cleaned_data["bestand"]
        try:
            added = services.add_document(
                portal.ctx,
                case,
                document_type=form.cleaned_data["documenttype"],
                title=form.cleaned_data["titel"],
                upload=services.Upload.from_file(file),
            )
        except (ValidationError, GateError) as error:
            for field, problems in _report(error).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"Uw document '{added.title}' is toegevoegd aan de zaak.")
            return redirect(f"{reverse('portal:case', args=[case.uuid])}#documenten")
    return _detail(request, portal, case, form=form, status=400)


def _answer_offer(ctx: gate.AccessContext, case: Case, portal: PortalSession, post: Any) -> str:
    offer = next(
        (
            o
            for o in case.offers.all()
            if str(o.uuid) == post.get("aanbod") and o.party_id == portal.subject.pk
        ),
        None,
    )
    if offer is None:
        raise Http404("Dit aanbod staat niet op uw pagina.")
    answer = post.get("antwoord")
    if answer not in ("ja", "nee"):
        raise ValidationError({"aanbod": "Kies of u het aanbod aanneemt of niet."})
    choices.answer_offer(ctx, offer, accept=answer == "ja")
    if answer == "nee":
        return "U hebt het aanbod afgewezen."
    if offer.follow_up is not None:
        return f"U hebt het aanbod aangenomen. Zaak {offer.follow_up.identification} is gestart."
    return "U hebt het aanbod aangenomen."


def _choose_provider(ctx: gate.AccessContext, case: Case, portal: PortalSession, post: Any) -> str:
    code = post.get("aanbieder", "")
    if not code:
        raise ValidationError({"aanbieder": "Kies een aanbieder."})
    choices.choose_provider(ctx, case, code)
    assert case.provider is not None
    return f"Uw keuze is vastgelegd: {case.provider} neemt contact met u op."


def _second_opinion(ctx: gate.AccessContext, case: Case, portal: PortalSession, post: Any) -> str:
    opinion = choices.request_second_opinion(ctx, case, committee=post.get("commissie", ""))
    return f"Uw verzoek om een second opinion bij {opinion.committee} is vastgelegd."


ACTIONS: dict[str, Callable[[gate.AccessContext, Case, PortalSession, Any], str]] = {
    "aanbod": _answer_offer,
    "aanbieder": _choose_provider,
    "second-opinion": _second_opinion,
}


@portal_view
@require_POST
def case_action(request: HttpRequest, case_uuid: str, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("Onbekende handeling.")
    portal = portal_of(request)
    try:
        case = _case_or_404(portal, case_uuid)
    except GateError as error:
        return render(request, "portal/cases/list.html", {"refused": error.message}, status=403)
    try:
        done = handler(portal.ctx, case, portal, request.POST)
    except (ValidationError, GateError) as error:
        problems = [p for messages_ in _report(error).values() for p in messages_]
        # Re-read: a refused change leaves the case as it was, and the page shows that.
        fresh = _case_or_404(portal, case_uuid)
        return _detail(request, portal, fresh, action_errors={action: problems}, status=400)
    messages.success(request, done)
    # Each action's section on the case page carries the action's name as its id.
    return redirect(f"{reverse('portal:case', args=[case.uuid])}#{action}")
