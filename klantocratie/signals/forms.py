"""Forms of the signal pages. They check the shape of a request (required, length); what
is allowed on a signal (an outcome from the rule's list, an evidence item of this
signal) is the services' to decide, so their errors appear next to the same fields."""

from __future__ import annotations

from typing import Any

from django import forms

from klantocratie.analytics.vocabulary import FACT_KINDS

from .models import AttemptChannel, Outcome, ReactionKind, Signal
from .rendering import display_value
from .services import NOTE_MAX

REACHED = [("ja", "Ja"), ("nee", "Nee")]


def _note(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TeamForm(forms.Form):
    """A form on a signal's page; the signal decides what some forms offer."""

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signal = signal


class TriageForm(TeamForm):
    # Prefixes keep the ids of the forms on one page apart: they share field names.
    prefix = "beoordeling"
    note = _note("Notitie bij de beoordeling (niet verplicht)")


class AttemptForm(TeamForm):
    prefix = "contact"
    channel = forms.ChoiceField(
        label="Kanaal", choices=AttemptChannel.choices, widget=forms.RadioSelect
    )
    reached = forms.TypedChoiceField(
        label="Inwoner bereikt?",
        choices=REACHED,
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    note = _note("Notitie (niet verplicht)")


class CloseForm(TeamForm):
    prefix = "afsluiten"
    # A plain text field with a select: the service checks the value against the rule.
    outcome = forms.CharField(label="Uitkomst", max_length=32)
    note = _note("Toelichting (niet verplicht)")

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, signal=signal, **kwargs)
        self.fields["outcome"].widget = forms.Select(
            choices=[("", "Kies een uitkomst")]
            + [(value, Outcome(value).label) for value in signal.rule.outcomes]
        )


def evidence_label(item: dict[str, Any], organisations: dict[str, str]) -> str:
    """One evidence item in words a resident recognises: what, when, from whom."""
    kind = FACT_KINDS.get(item["kind"])
    meaning = kind.meaning if kind else item["kind"]
    when = (
        f" op {display_value(item['at'], is_date=True, is_money=False)}" if item.get("at") else ""
    )
    organisation = organisations.get(item["organisation"], item["organisation"])
    return f"{meaning}{when} ({organisation}, kenmerk {item['reference']})"


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Wat wilt u doen?",
        choices=[
            (ReactionKind.COMMENT.value, "Ik wil iets laten weten"),
            (ReactionKind.CONTEST.value, "Ik ben het er niet mee eens (bezwaar)"),
        ],
        initial=ReactionKind.COMMENT.value,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Uw reactie", max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Checked by the service against this signal's evidence, not by the form.
    reference = forms.CharField(label="Klopt een gegeven niet? Kies welk", required=False)

    def __init__(
        self, *args: Any, signal: Signal, organisations: dict[str, str], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"reactie-{signal.pk}")
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget = forms.Select(
            choices=[("", "Geen bepaald gegeven")]
            + [(item["reference"], evidence_label(item, organisations)) for item in signal.evidence]
        )
