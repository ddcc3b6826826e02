"""Pages of the contact registry: intake uploads, the resident's web form, a contact by its
number (warm transfer), the work list of tasks, and attachments. Thin: a form, a service
or selector call, a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from klantocratie.accounts.permissions import access_context, membership_of, role_required
from klantocratie.accounts.roles import Role
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.errors import GateError
from klantocratie.validation import report_to_form

from . import intake, selectors, services, uploads
from .forms import CompleteTaskForm, ContactNumberForm, EmailUploadForm, ScanUploadForm
from .services import Upload

AGENT_ROLES = (Role.KCC_AGENT, Role.CASE_WORKER, Role.SOCIAL_WORKER)


def _denied(request: HttpRequest, error: GateError) -> HttpResponse:
    return render(request, "contacts/denied.html", {"error": error}, status=403)


@role_required(*AGENT_ROLES)
def email_upload(request: HttpRequest) -> HttpResponse:
    form = EmailUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = Upload.from_file(form.cleaned_data["bestand"])
        if len(upload.data) > uploads.max_bytes():
            form.add_error(
                "bestand",
                f"Het bestand is te groot; de grens is {uploads.human_size(uploads.max_bytes())}.",
            )
        else:
            try:
                contact = intake.register_email(
                    access_context(request), upload.data, name=upload.name
                )
            except (ValidationError, GateError) as error:
                report_to_form(form, error)
            else:
                messages.success(request, f"De e-mail is geregistreerd als {contact.nummer}.")
                return redirect("contacts:detail", nummer=contact.nummer)
    return render(request, "contacts/upload.html", {"form": form, "title": "E-mail registreren"})


@role_required(*AGENT_ROLES)
def scan_upload(request: HttpRequest) -> HttpResponse:
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        identifier_type, value = form.cleaned_data["klant"]
        party = find_party(identifier_type, value)
        if party is None:
            form.add_error("klant", "Er is geen klant bekend met dit nummer.")
        else:
            try:
                contact = intake.register_scan(
                    access_context(request),
                    party,
                    Upload.from_file(form.cleaned_data["bestand"]),
                    subject=form.cleaned_data["onderwerp"],
                    content=form.cleaned_data["inhoud"],
                )
            except (ValidationError, GateError) as error:
                report_to_form(form, error)
            else:
                messages.success(request, f"De brief is geregistreerd als {contact.nummer}.")
                return redirect("contacts:detail", nummer=contact.nummer)
    return render(
        request, "contacts/upload.html", {"form": form, "title": "Ingescande brief registreren"}
    )


@role_required(*AGENT_ROLES)
def find_by_number(request: HttpRequest) -> HttpResponse:
    form = ContactNumberForm(request.GET or None)
    if form.is_valid():
        return redirect("contacts:detail", nummer=form.cleaned_data["nummer"].strip().upper())
    return render(request, "contacts/find.html", {"form": form})


@role_required(*AGENT_ROLES)
def detail(request: HttpRequest, nummer: str) -> HttpResponse:
    try:
        contact = selectors.contact_by_number(access_context(request), nummer)
    except GateError as error:
        return _denied(request, error)
    if contact is None:
        raise Http404("Er is geen klantcontact met dit nummer.")
    return render(request, "contacts/detail.html", {"contact": contact})


@role_required(*AGENT_ROLES)
def work_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    assert membership is not None
    actor = selectors.actor_for_user(request.user.get_username(), membership.organisation.code)
    if actor is None:
        return render(request, "contacts/work_list.html", {"work": None})
    try:
        page = int(request.GET.get("pagina", "1"))
    except ValueError:
        page = 1
    try:
        work = selectors.open_tasks_for_actor(access_context(request), actor, page=page)
    except GateError as error:
        return _denied(request, error)
    return render(request, "contacts/work_list.html", {"work": work, "actor": actor})


@role_required(*AGENT_ROLES)
def task_detail(request: HttpRequest, task_uuid: str) -> HttpResponse:
    ctx = access_context(request)
    try:
        task = selectors.task_detail(ctx, task_uuid)
    except GateError as error:
        return _denied(request, error)
    if task is None:
        raise Http404("Onbekende taak.")
    return render(request, "contacts/task.html", {"task": task, "form": CompleteTaskForm()})


@require_POST
@role_required(*AGENT_ROLES)
def complete(request: HttpRequest, task_uuid: str) -> HttpResponse:
    ctx = access_context(request)
    form = CompleteTaskForm(request.POST)
    try:
        task = selectors.task_detail(ctx, task_uuid)
        if task is None:
            raise Http404("Onbekende taak.")
        if form.is_valid():
            services.complete_task(ctx, task, note=form.cleaned_data["notitie"])
            messages.success(request, f"Taak {task.nummer} is afgerond.")
            return redirect("contacts:work-list")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except GateError as error:
        return _denied(request, error)
    return redirect("contacts:task", task_uuid=task_uuid)


@role_required(*AGENT_ROLES)
def attachment(request: HttpRequest, attachment_uuid: str) -> HttpResponse:
    try:
        found = selectors.attachment_for_download(access_context(request), attachment_uuid)
    except GateError as error:
        return _denied(request, error)
    if found is None:
        raise Http404("Onbekende bijlage.")
    with found.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=found.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=found.original_name) or ""
    )
    return response
