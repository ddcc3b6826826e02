"""The shape of the participation forms; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import CouncilMember, Poll, Theme


class CouncilMemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        member: CouncilMember = obj
        return f"{member.name} ({member.fractie})"


class SubscriptionForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label="Thema's",
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="U krijgt de peilingen over deze onderwerpen.",
    )
    council_members = CouncilMemberChoice(
        label="Raadsleden",
        queryset=CouncilMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="U krijgt de peilingen die dit raadslid uitzet.",
    )
    wants_email = forms.BooleanField(
        label="Stuur mij ook een e-mail bij een nieuwe peiling", required=False
    )
    email = forms.EmailField(
        label="E-mailadres voor peilingen",
        required=False,
        help_text="Alleen gebruikt voor berichten over nieuwe peilingen. Controleer het adres.",
        error_messages={
            "invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
        },
    )

    def __init__(self, *args: Any, themes: Any, council_members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes_field = self.fields["themes"]
        members_field = self.fields["council_members"]
        assert isinstance(themes_field, forms.ModelMultipleChoiceField)
        assert isinstance(members_field, forms.ModelMultipleChoiceField)
        themes_field.queryset = themes
        members_field.queryset = council_members
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class AnswerForm(forms.Form):
    option = forms.TypedChoiceField(
        label="Uw antwoord",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies een van de antwoorden.",
            "invalid_choice": "Kies een van de antwoorden.",
        },
    )

    def __init__(self, *args: Any, poll: Poll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option = self.fields["option"]
        assert isinstance(option, forms.TypedChoiceField)
        option.label = poll.question
        option.choices = [(o.pk, o.label) for o in poll.options.all()]
