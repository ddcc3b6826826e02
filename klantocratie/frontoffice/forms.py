"""Forms of the desk. Checks that need a source stay with the source (via the gate)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from .search import ClientQuery, QueryError, parse_query
from .services import HandoverKind

# The client register's correspondence preferences; it checks the value itself.
CORRESPONDENCE_CHOICES = (
    ("post", "Per post"),
    ("email", "Per e-mail"),
    ("berichtenbox", "Berichtenbox van MijnOverheid"),
)


class DeskSearchForm(forms.Form):
    query = forms.CharField(
        label="Zoek een klant",
        max_length=120,
        help_text=(
            "BSN, KvK-nummer, naam en geboortedatum, postcode en huisnummer, telefoon, "
            "e-mail, contactnummer (KC-…) of zaaknummer"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, autofocus: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["query"].widget.attrs
        attrs["autofocus"] = autofocus
        attrs["aria-describedby"] = "zoekhulp"
        attrs["data-desk-search"] = ""

    def clean_query(self) -> ClientQuery:
        try:
            return parse_query(self.cleaned_data["query"])
        except QueryError as error:
            raise forms.ValidationError(error.message) from None


class ChangeForm(forms.Form):
    """One basic-data element and its new value; the source validates the value."""

    element = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label="Nieuwe waarde", max_length=254, required=False)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label="Kanaal")
    subject = forms.CharField(label="Onderwerp", max_length=200)
    question = forms.CharField(
        label="Vraag van de klant", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.CharField(
        label="Antwoord", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Set when the agent answers with a knowledge-base item ("kennisartikel:<uuid>").
    subject_object = forms.RegexField(
        regex=r"^(kennisartikel|product):[0-9a-f-]{36}$",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Het gekozen kennisartikel is niet herkend."},
    )
    succeeded = forms.TypedChoiceField(
        label="Geholpen?",
        choices=(("ja", "Ja, geholpen"), ("nee", "Nee, overgedragen of niet opgelost")),
        coerce=lambda value: value == "ja",
        initial="ja",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = channels


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()}, {obj.organisation})"


class HandoverForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=HandoverKind.choices)
    contact = forms.ChoiceField(label="Klantcontact")
    assign_to = ActorChoiceField(label="Aan", queryset=None, empty_label="— kies —")
    action = forms.CharField(
        label="Gevraagde handeling of zaaktype", max_length=200, required=False
    )
    phone = forms.CharField(label="Terugbellen op", max_length=20, required=False)
    explanation = forms.CharField(
        label="Toelichting",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, contacts: list[str], actors: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contact"]).choices = [(n, n) for n in contacts]
        cast(ActorChoiceField, self.fields["assign_to"]).queryset = actors
