from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from klantocratie.parties.validators import validate_bsn, validate_kvk_number

from .services import CONTENT_MAX, SUBJECT_MAX


class WebForm(forms.Form):
    """The resident's question to the municipality."""

    onderwerp = forms.CharField(label="Onderwerp", max_length=SUBJECT_MAX)
    inhoud = forms.CharField(
        label="Uw vraag of bericht",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    bijlage = forms.FileField(label="Bijlage (PDF, JPEG of PNG, niet verplicht)", required=False)


class EmailUploadForm(forms.Form):
    bestand = forms.FileField(label="E-mail (.eml)")


class ScanUploadForm(forms.Form):
    klant = forms.CharField(
        label="BSN of KvK-nummer van de afzender",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    onderwerp = forms.CharField(label="Onderwerp", max_length=SUBJECT_MAX)
    inhoud = forms.CharField(
        label="Samenvatting (niet verplicht)",
        max_length=CONTENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bestand = forms.FileField(label="Scan (PDF, JPEG of PNG)")

    def clean_klant(self) -> tuple[str, str]:
        value = "".join(self.cleaned_data["klant"].split()).replace(".", "")
        if len(value) == 9:
            validate_bsn(value)
            return ("bsn", value)
        if len(value) == 8:
            validate_kvk_number(value)
            return ("kvk", value)
        raise ValidationError("Geef een BSN (9 cijfers) of een KvK-nummer (8 cijfers).")


class ContactNumberForm(forms.Form):
    nummer = forms.CharField(
        label="Contactnummer",
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "KC-2026-000123", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nummer"].widget.attrs["autofocus"] = True


class CompleteTaskForm(forms.Form):
    notitie = forms.CharField(
        label="Notitie bij afronden (niet verplicht)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
