from django import forms

from .connector import ACCEPT, REJECT, UNDO


class DecisionForm(forms.Form):
    besluit = forms.ChoiceField(
        label="Besluit",
        choices=[(ACCEPT, "Accepteren: het gaat om deze persoon"), (REJECT, "Afwijzen: een ander")],
        widget=forms.RadioSelect,
    )
    toelichting = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht bij afwijzen: waarom gaat het om iemand anders?",
    )


class UndoForm(forms.Form):
    besluit = forms.CharField(widget=forms.HiddenInput, initial=UNDO)
    toelichting = forms.CharField(
        label="Waarom ongedaan maken?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
