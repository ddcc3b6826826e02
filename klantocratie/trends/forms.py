from __future__ import annotations

from typing import Any

from django import forms

from .choices import Level, Measure
from .models import TrendRun
from .selectors import PERIODS, TrendFilter, areas


class TrendFilterForm(forms.Form):
    """The dashboard's filters (GET); names are the Dutch query parameters."""

    maatregel = forms.ChoiceField(label="Wat", choices=Measure.choices, required=False)
    niveau = forms.ChoiceField(label="Niveau", choices=Level.choices, required=False)
    gebied = forms.ChoiceField(label="Gebied", required=False)
    categorie = forms.CharField(label="Categorie", required=False, max_length=255)
    weken = forms.TypedChoiceField(label="Periode", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, run: TrendRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gebied: Any = self.fields["gebied"]
        gebied.choices = [("", "Alle gebieden"), *areas(run)]
        counted = len(run.calendar.weeks)
        weken: Any = self.fields["weken"]
        weken.choices = [
            (n, f"Laatste {n} weken") for n in [*(p for p in PERIODS if p < counted), counted]
        ]

    def trend_filter(self) -> TrendFilter:
        """The chosen filters, with the defaults for what was not (validly) chosen."""
        weeks: Any = self.fields["weken"]
        default = TrendFilter(weeks=min(TrendFilter.weeks, max(n for n, _ in weeks.choices)))
        if not self.is_bound or not self.is_valid():
            return default
        data = self.cleaned_data
        return TrendFilter(
            measure=data["maatregel"] or default.measure,
            level=data["niveau"] or default.level,
            area=data["gebied"],
            category=data["categorie"],
            weeks=data["weken"] or default.weeks,
        )
