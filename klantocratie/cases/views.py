"""Pages of the case system: the work queue, a case with the client beside it, and the
case worker's actions on it. Residents see their own cases on their personal page
(klantocratie.portal).

Views are thin: they read the form, call one service, and show its errors. A case page
opens the gate over the case's clients before anything is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from klantocratie.accounts.permissions import access_context, membership_of, role_required
from klantocratie.accounts.roles import Role
from klantocratie.clientview.selectors import build_client_view
from klantocratie.contacts import uploads
from klantocratie.contacts.models import Contact, InternalTask
from klantocratie.contacts.services import parties_of as contact_parties
from klantocratie.parties.selectors import find_party, get_party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from . import choices, decisions, selectors, services
from .models import Case, CaseTask, TaskState

CASE_ROLES = (Role.CASE_WORKER, Role.SOCIAL_WORKER)
PAGE_SIZE = 25


def _errors(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(m for messages_ in error.message_dict.values() for m in messages_)
    return " ".join(error.messages)


@role_required(*CASE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    assert membership is not None
    filters = selectors.QueueFilter(
        organisation=membership.organisation.code,
        query=request.GET.get("q", "").strip()[:80],
        case_type=request.GET.get("zaaktype", ""),
        assignee=request.GET.get("behandelaar", ""),
        due=request.GET.get("termijn", ""),
        include_closed=request.GET.get("afgesloten") == "1",
        ordering=request.GET.get("sorteer", "deadline"),
    )
    page = Paginator(selectors.work_queue(filters, request.user.pk), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    rows = [(case, selectors.deadline_warning(case)) for case in page]
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "cases/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "case_types": selectors.published_case_types().filter(
                case_type__organisation=membership.organisation
            ),
            "querystring": params.urlencode(),
            "orderings": selectors.QUEUE_ORDERINGS,
        },
    )


def _case_or_404(case_uuid: str) -> Case:
    case = selectors.case_file(case_uuid)
    if case is None:
        raise Http404("Onbekende zaak.")
    return case


def _not_ours(request: HttpRequest) -> HttpResponse:
    error = GateError("Deze zaak wordt door een andere organisatie behandeld.")
    return render(request, "cases/denied.html", {"error": error}, status=403)


def _task_form(task: CaseTask, case: Case) -> dict[str, Any]:
    """What the page needs to render one open task's form."""
    table = task.task_type.decision_table if task.task_type else None
    evaluation = next(
        (e for e in reversed(list(case.evaluations.all())) if e.task_id == task.pk), None
    )
    rule = getattr(case.case_type_version, "second_opinion_rule", None)
    return {
        "task": task,
        "fields": task.task_type.fields if task.task_type else [],
        "points": rule.points if rule else [],
        "table": table,
        "inputs": [
            {**field, "value": case.properties.get(field["field"], "")}
            for field in (decisions.input_fields(table.content) if table else [])
        ],
        "outputs": decisions.output_fields(table.content) if table else [],
        "evaluation": evaluation,
    }


@role_required(*CASE_ROLES)
def detail(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = _case_or_404(case_uuid)
    ctx = access_context(request)
    if not selectors.handled_by(case, ctx.organisation):
        return _not_ours(request)
    parties = services.client_parties(case)
    try:
        with services.guarded(ctx, parties, operation="zaak inzien", change=False):
            pass
    except GateError as error:
        return render(request, "cases/denied.html", {"error": error}, status=403)
    client_views = []
    for party in parties:
        try:
            client_views.append(build_client_view(ctx, party))
        except GateError as error:
            messages.warning(request, f"Klantbeeld niet beschikbaar: {error.message}")
    version = case.case_type_version
    tasks = list(case.tasks.all())
    current_order = case.current_status.status_type.order if case.current_status else 0
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "version": version,
            "warning": selectors.deadline_warning(case),
            "client_views": client_views,
            "open_tasks": [_task_form(t, case) for t in tasks if t.state == TaskState.OPEN],
            "closed_tasks": [t for t in tasks if t.state != TaskState.OPEN],
            "next_statuses": [s for s in version.status_types.all() if s.order > current_order],
            "result_types": version.result_types.all(),
            "discretionary": version.task_types.filter(discretionary=True),
            "provider_deadline": choices.provider_deadline(case),
            "second_opinion": getattr(case, "second_opinion", None),
            "colleagues": selectors.case_workers(case.organisation),
            "property_types": version.property_types.all(),
            "document_types": version.document_types.all(),
            "history": sorted(case.history.all(), key=lambda e: (e.at, e.pk), reverse=True),
        },
    )


def _task(case: Case, request: HttpRequest) -> CaseTask:
    task = case.tasks.filter(pk=request.POST.get("taak") or 0).select_related("task_type").first()
    if task is None:
        raise ValidationError({"taak": "Onbekende taak."})
    return task


def _task_data(task: CaseTask, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in task.task_type.fields if task.task_type else []:
        name = f"veld_{field['code']}"
        if field.get("format") == "punten":
            data[field["code"]] = request.POST.getlist(name)
        elif field.get("format") == "ja_nee":
            data[field["code"]] = name in request.POST
        else:
            data[field["code"]] = request.POST.get(name, "")
    return data


def _evaluate(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    task = _task(case, request)
    table = task.task_type.decision_table if task.task_type else None
    fields = decisions.input_fields(table.content) if table else []
    inputs = {f["field"]: request.POST.get(f"invoer_{f['field']}", "") for f in fields}
    evaluation = services.evaluate_decision_table(ctx, task, inputs)
    return f"Advies: {services.describe(evaluation.advice)}."


def _complete(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    task = _task(case, request)
    outcome = None
    table = task.task_type.decision_table if task.task_type else None
    if table is not None:
        outcome = {
            f["field"]: request.POST.get(f"uitkomst_{f['field']}", "")
            for f in decisions.output_fields(table.content)
            if f"uitkomst_{f['field']}" in request.POST
        } or None
    services.complete_task(
        ctx,
        task,
        _task_data(task, request),
        outcome=outcome,
        deviation_reason=request.POST.get("reden_afwijking", ""),
    )
    return f"Taak '{task.name}' is afgerond."


def _set_aside(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    task = services.set_task_aside(ctx, _task(case, request), reason=request.POST.get("reden", ""))
    return f"Taak '{task.name}' is vervallen."


def _add_task(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    task = services.add_task(
        ctx, case, request.POST.get("taaktype", ""), reason=request.POST.get("reden", "")
    )
    return f"Taak '{task.name}' is toegevoegd."


def _status(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    status = services.set_status(
        ctx, case, request.POST.get("status", ""), explanation=request.POST.get("toelichting", "")
    )
    return f"Status is nu '{status.status_type.description}'."


def _result(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    result = services.set_result(
        ctx,
        case,
        request.POST.get("resultaat", ""),
        explanation=request.POST.get("toelichting", ""),
    )
    return f"Resultaat '{result.result_type.description}' is vastgelegd."


def _assign(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    colleague = request.POST.get("behandelaar")
    if not colleague:
        services.assign(ctx, case, request.user)
        return "De zaak staat op uw naam."
    user = selectors.case_workers(case.organisation).filter(pk=colleague).first()
    if user is None:
        raise ValidationError({"behandelaar": "Kies een behandelaar van deze organisatie."})
    services.assign(ctx, case, user)
    return f"De zaak staat op naam van {user.get_full_name() or user.username}."


def _document(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    upload = request.FILES.get("bestand")
    if upload is None:
        raise ValidationError({"bestand": "Kies een bestand."})
    if upload.size and upload.size > uploads.max_bytes():
        # Refused before reading it into memory.
        raise ValidationError(
            {"bestand": f"Het bestand is groter dan {uploads.max_bytes() // (1024 * 1024)} MB."}
        )
    document = services.add_document(
        ctx,
        case,
        document_type=request.POST.get("documenttype", ""),
        title=request.POST.get("titel", ""),
        upload=services.Upload.from_file(upload),
    )
    return f"Document '{document.title}' is toegevoegd."


def _properties(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    values = {
        prop.code: request.POST.get(f"eigenschap_{prop.code}", "")
        for prop in case.case_type_version.property_types.all()
        if request.POST.get(f"eigenschap_{prop.code}", "") != ""
    }
    services.set_properties(ctx, case, values)
    return "De eigenschappen zijn vastgelegd."


def _relate(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    services.relate(ctx, case, request.POST.get("zaaknummer", ""))
    return "De zaken zijn aan elkaar gerelateerd."


def _extend(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    services.extend(ctx, case, reason=request.POST.get("reden", ""))
    return f"De zaak is verlengd tot {case.deadline:%d-%m-%Y}."


def _suspend(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    services.suspend(ctx, case, reason=request.POST.get("reden", ""))
    return "De zaak is opgeschort."


def _resume(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    services.resume(ctx, case)
    return f"De opschorting is beëindigd; uiterlijk {case.deadline:%d-%m-%Y}."


def _provider_contact(ctx: gate.AccessContext, case: Case, request: HttpRequest) -> str:
    choices.record_provider_contact(ctx, case)
    return "Vastgelegd dat de aanbieder contact heeft opgenomen."


ACTIONS: dict[str, Callable[[gate.AccessContext, Case, HttpRequest], str]] = {
    "advies": _evaluate,
    "afronden": _complete,
    "vervallen": _set_aside,
    "taak-toevoegen": _add_task,
    "status": _status,
    "resultaat": _result,
    "toewijzen": _assign,
    "document": _document,
    "eigenschappen": _properties,
    "relateren": _relate,
    "verlengen": _extend,
    "opschorten": _suspend,
    "hervatten": _resume,
    "aanbieder-contact": _provider_contact,
}


@role_required(*CASE_ROLES)
def document(request: HttpRequest, case_uuid: str, document_uuid: str) -> HttpResponseBase:
    case = _case_or_404(case_uuid)
    ctx = access_context(request)
    if not selectors.handled_by(case, ctx.organisation):
        return _not_ours(request)
    item = case.documents.filter(uuid=document_uuid).first()
    if item is None:
        raise Http404("Onbekend document.")
    try:
        with services.guarded(
            ctx, services.client_parties(case), operation="zaakdocument inzien", change=False
        ):
            pass
    except GateError as error:
        return render(request, "cases/denied.html", {"error": error}, status=403)
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=item.original_name,
    )


@require_POST
@role_required(*CASE_ROLES)
def act(request: HttpRequest, case_uuid: str, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("Onbekende handeling.")
    case = _case_or_404(case_uuid)
    ctx = access_context(request)
    if not selectors.handled_by(case, ctx.organisation):
        return _not_ours(request)
    try:
        messages.success(request, handler(ctx, case, request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    except GateError as error:
        messages.error(request, error.message)
    anchor = "#taken" if action in ("advies", "afronden", "vervallen", "taak-toevoegen") else ""
    return redirect(f"{request.path.rsplit('/', 2)[0]}/{anchor}")


@role_required(*CASE_ROLES, Role.KCC_AGENT)
def start(request: HttpRequest) -> HttpResponse:
    """Register a case for a client, optionally from the contact or task it came from."""
    ctx = access_context(request)
    values = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            case = _start_from_form(ctx, values)
        except ValidationError as error:
            messages.error(request, _errors(error))
        except GateError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Zaak {case.identification} is geregistreerd.")
            if membership_of(request).role == Role.KCC_AGENT:  # type: ignore[union-attr]
                return redirect("frontoffice:desk")
            return redirect("cases:detail", case_uuid=case.uuid)
    return render(
        request,
        "cases/start.html",
        {"case_types": selectors.published_case_types(), "values": values},
    )


def _start_from_form(ctx: gate.AccessContext, values: Any) -> Case:
    contact = task = None
    if values.get("klantcontact"):
        contact = Contact.objects.filter(nummer=values["klantcontact"].strip()).first()
        if contact is None:
            raise ValidationError({"klantcontact": "Onbekend klantcontactnummer."})
    if values.get("interne_taak"):
        task = InternalTask.objects.filter(nummer=values["interne_taak"].strip()).first()
        if task is None:
            raise ValidationError({"interne_taak": "Onbekend taaknummer."})
        contact = contact or task.contact
    identifier = values.get("bsn", "").strip()
    kind = "kvk" if len(identifier) == 8 else "bsn"
    party = find_party(kind, identifier) if identifier else None
    if party is None and not identifier and contact is not None:
        # The client of the contact the case comes from: nobody retypes a BSN.
        party = next(iter(contact_parties(contact)), None)
    if party is None:
        raise ValidationError({"bsn": "Geef het BSN of KvK-nummer van een bekende klant."})
    return services.start_case(
        ctx,
        case_type=values.get("zaaktype", ""),
        clients=[services.Client(party)],
        description=values.get("omschrijving", ""),
        explanation=values.get("toelichting", ""),
        channel=values.get("kanaal", "") or (contact.channel.name if contact else ""),
        contact=contact,
        internal_task=task,
    )


@require_POST
@role_required(Role.KCC_AGENT)
def first_line(request: HttpRequest, party_uuid: str) -> HttpResponse:
    """The desk completes a simple case itself: registered, decided and closed at once."""
    party = get_party(party_uuid)
    if party is None:
        raise Http404("Onbekende klant.")
    contact = None
    if request.POST.get("klantcontact"):
        contact = Contact.objects.filter(nummer=request.POST["klantcontact"].strip()).first()
    try:
        case = choices.complete_at_first_line(
            access_context(request),
            case_type=request.POST.get("zaaktype", ""),
            clients=[services.Client(party)],
            description=request.POST.get("omschrijving", ""),
            result=request.POST.get("resultaat", ""),
            contact=contact,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    except GateError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Zaak {case.identification} is direct afgehandeld: "
            f"{case.result.result_type.description}.",
        )
    return redirect(f"{reverse('frontoffice:client', args=[party.uuid])}#eerste-lijn")
