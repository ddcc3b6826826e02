from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from klantocratie.accounts.permissions import access_context, role_required
from klantocratie.accounts.roles import CLIENT_VIEW_ROLES, Role
from klantocratie.parties.selectors import find_party, get_party
from klantocratie.privacy.errors import GateError

from .forms import ClientSearchForm
from .selectors import build_client_view


@role_required(*CLIENT_VIEW_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    # POST keeps BSNs out of URLs, browser history and access logs.
    form = ClientSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier_type, value = form.cleaned_data["query"]
        party = find_party(identifier_type, value)
        if party is not None:
            return redirect("clientview:detail", party_uuid=party.uuid)
        form.add_error("query", "Er is geen klant bekend met dit nummer.")
    return render(request, "clientview/search.html", {"form": form})


@role_required(*CLIENT_VIEW_ROLES, Role.RESIDENT)
def detail(request: HttpRequest, party_uuid: str) -> HttpResponse:
    party = get_party(party_uuid)
    if party is None:
        raise Http404("Onbekende klant.")
    try:
        view = build_client_view(access_context(request), party)
    except GateError as error:
        messages.error(request, error.message)
        return render(request, "clientview/denied.html", {"error": error}, status=403)
    return render(
        request, "clientview/detail.html", {"view": view, "form": ClientSearchForm(autofocus=False)}
    )
