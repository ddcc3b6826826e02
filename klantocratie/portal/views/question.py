"""The general entry: a question about anything, registered as a contact for the subject."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from klantocratie.contacts import intake, uploads
from klantocratie.contacts.forms import WebForm
from klantocratie.contacts.services import Upload
from klantocratie.privacy.errors import GateError
from klantocratie.validation import report_to_form

from ..access import portal_of, portal_view


@portal_view
def ask(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    form = WebForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        attachment = form.cleaned_data.get("bijlage")
        try:
            contact = intake.register_web_form(
                portal.ctx,
                portal.subject,
                subject=form.cleaned_data["onderwerp"],
                content=form.cleaned_data["inhoud"],
                attachments=[Upload.from_file(attachment)] if attachment else [],
            )
        except (ValidationError, GateError) as error:
            report_to_form(form, error)
        else:
            messages.success(
                request,
                f"Dank u wel. Uw bericht is ontvangen onder nummer {contact.nummer}. "
                "Noem dit nummer als u erover belt; u vindt het ook bij Mijn contacten.",
            )
            return redirect("portal:question")
    return render(
        request,
        "portal/question.html",
        {"form": form, "max_size": uploads.human_size(uploads.max_bytes())},
        status=400 if form.is_bound else 200,
    )
