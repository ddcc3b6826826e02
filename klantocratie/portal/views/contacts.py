"""My contacts: every contact with every organisation, with the answer given.

A contact is looked up among the subject's own contacts only: any other contact id in
a URL answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from klantocratie.contacts import uploads
from klantocratie.contacts.models import TaskStatus
from klantocratie.privacy.errors import GateError

from .. import selectors_contacts
from ..access import portal_of, portal_view


@portal_view
def my_contacts(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    organisation = request.GET.get("organisatie", "").strip()[:64]
    try:
        found = selectors_contacts.contacts_of(
            portal.ctx, portal.subject, organisation=organisation, page=request.GET.get("pagina")
        )
    except GateError as error:
        return render(request, "portal/contacts/list.html", {"refused": error.message}, status=403)
    return render(
        request,
        "portal/contacts/list.html",
        {
            "page": found.page,
            "organisations": found.organisations,
            "organisation": organisation,
        },
    )


@portal_view
def contact_detail(request: HttpRequest, contact_uuid: str) -> HttpResponse:
    portal = portal_of(request)
    try:
        contact = selectors_contacts.contact_of(portal.ctx, portal.subject, str(contact_uuid))
    except GateError as error:
        return render(request, "portal/contacts/list.html", {"refused": error.message}, status=403)
    if contact is None:
        raise Http404("Dit contact staat niet op uw pagina.")
    return render(
        request,
        "portal/contacts/detail.html",
        {
            "contact": contact,
            "attachments": [
                (attachment, uploads.human_size(attachment.size))
                for attachment in contact.attachments.all()
            ],
            "follow_ups": list(contact.tasks.all()),
            "done": TaskStatus.DONE,
        },
    )
