from django import forms

from klantocratie.registry.models import Organisation

from .models import Audience, LifeEvent


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(
        label="Zoek in de kennisbank",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "placeholder": "Bijv. ik ga verhuizen, parkeervergunning, mijn vader is overleden",
                "accesskey": "z",
            }
        ),
    )
    audience = forms.ChoiceField(
        label="Doelgroep",
        required=False,
        choices=[
            ("", "Iedereen"),
            (Audience.RESIDENT, "Inwoners"),
            (Audience.BUSINESS, "Ondernemers"),
        ],
    )
    life_event = forms.ModelChoiceField(
        label="Levensgebeurtenis",
        required=False,
        queryset=LifeEvent.objects.all(),
        to_field_name="slug",
        empty_label="Alle",
    )
    last_contacts = forms.TypedChoiceField(
        label="Meest gevraagd in de laatste",
        required=False,
        coerce=int,
        empty_value=None,
        initial=500,
        choices=[(100, "100 contacten"), (500, "500 contacten"), (5000, "5.000 contacten")],
    )
    organisation = forms.ModelChoiceField(
        label="Organisatie",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="code",
        empty_label="Alle",
    )
