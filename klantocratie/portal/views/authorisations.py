"""Machtigingen: whom I may act for, who may act for me, and giving or ending one."""

from datetime import date, timedelta
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from klantocratie.parties.models import Authorisation, AuthorisationKind, IdentifierType
from klantocratie.parties.selectors import authorisations_in_force
from klantocratie.parties.services import (
    record_authorisation,
    register_party,
    withdraw_authorisation,
)
from klantocratie.parties.validators import validate_bsn
from klantocratie.registry.models import PartyType
from klantocratie.validation import report_to_form

from ..access import portal_of, portal_view
from ..selectors import display_name

# A voluntary machtiging runs at most this long; the person renews it if still wanted.
LONGEST = timedelta(days=5 * 365)


class GiveForm(forms.Form):
    bsn = forms.CharField(
        label="BSN van wie u machtigt",
        help_text="Negen cijfers. Diegene logt zelf in met DigiD en kan dan namens u handelen.",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    valid_to = forms.DateField(
        label="Geldig tot en met",
        help_text="Hoogstens vijf jaar. Schrijf als dag-maand-jaar.",
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    understood = forms.BooleanField(
        label="Ik begrijp dat diegene al mijn gegevens, zaken en contacten kan zien en namens mij aanvragen kan doen.",
    )

    def clean_bsn(self) -> str:
        bsn = self.cleaned_data["bsn"].replace(" ", "").replace(".", "")
        validate_bsn(bsn)
        return bsn

    def clean_valid_to(self) -> date:
        valid_to: date = self.cleaned_data["valid_to"]
        today = timezone.localdate()
        if valid_to < today:
            raise ValidationError("Deze datum ligt in het verleden.")
        if valid_to > today + LONGEST:
            raise ValidationError("Een machtiging duurt hoogstens vijf jaar.")
        return valid_to


def _page(request: HttpRequest, form: GiveForm, status: int = 200) -> HttpResponse:
    portal = portal_of(request)
    own = portal.own_party
    held = list(authorisations_in_force().filter(representative=own).select_related("represented"))
    given = list(authorisations_in_force().filter(represented=own).select_related("representative"))
    return render(
        request,
        "portal/authorisations.html",
        {
            "held": [(a, display_name(portal.ctx, a.represented)) for a in held],
            # The names of those who may act for me are not read: their data is theirs.
            "given": given,
            "form": form,
            "can_give": own.party_type == PartyType.PERSON,
        },
        status=status,
    )


@portal_view
def authorisations(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    form = GiveForm(request.POST or None)
    if request.method != "POST":
        return _page(request, form)
    if portal.own_party.party_type != PartyType.PERSON:
        raise Http404("Een onderneming machtigt via eHerkenning.")
    if form.is_valid():
        try:
            representative = register_party(
                PartyType.PERSON, {IdentifierType.BSN: form.cleaned_data["bsn"]}
            )
            record_authorisation(
                representative=representative,
                represented=portal.own_party,
                kind=AuthorisationKind.VOLUNTARY,
                basis="Machtiging gegeven op Mijn pagina",
                valid_from=timezone.localdate(),
                valid_to=form.cleaned_data["valid_to"],
                recorded_by=request.user.get_username(),
            )
        except ValidationError as error:
            report_to_form(form, error)
        else:
            messages.success(
                request, "De machtiging is vastgelegd. U kunt hem hier altijd intrekken."
            )
            return redirect("portal:authorisations")
    return _page(request, form, status=400)


@require_POST
@portal_view
def withdraw(request: HttpRequest, authorisation_uuid: UUID) -> HttpResponse:
    portal = portal_of(request)
    own = portal.own_party
    authorisation = (
        Authorisation.objects.filter(uuid=authorisation_uuid, withdrawn_at__isnull=True)
        .filter(representative=own)
        .first()
    ) or Authorisation.objects.filter(
        uuid=authorisation_uuid, withdrawn_at__isnull=True, represented=own
    ).first()
    if authorisation is None:
        raise Http404("Onbekende machtiging.")
    try:
        withdraw_authorisation(authorisation, by=own)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De machtiging is ingetrokken.")
    return redirect("portal:authorisations")
