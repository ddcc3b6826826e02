"""Who looked at my data: the processing log about the person, with the organisation,
purpose and legal basis of each record, and a total that equals the log's own count.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klantocratie.privacy import gate, selectors

from ..access import portal_of, portal_view

RECORDS_PER_PAGE = 50
OPERATION = "verwerkingslogboek inzien"


class LogFilterForm(forms.Form):
    organisatie = forms.ChoiceField(label="Organisatie", required=False)
    van = forms.DateField(
        label="Vanaf",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
        error_messages={"invalid": "Vul een datum in, bijvoorbeeld 31-12-2026."},
    )
    tot = forms.DateField(
        label="Tot en met",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
        error_messages={"invalid": "Vul een datum in, bijvoorbeeld 31-12-2026."},
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisatie"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Alle organisaties"), *organisations]
        field.widget.attrs["class"] = "utrecht-select"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and start > end:
            self.add_error("tot", "De einddatum ligt vóór de begindatum.")
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # Mark the fields with errors after validation, so assistive technology reads them.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = f"id_{name}-fout"
                attrs["aria-invalid"] = "true"
                base = attrs.get("class", "")
                attrs["class"] = f"{base} {base}--invalid"


@portal_view
def who_looked(request: HttpRequest) -> HttpResponse:
    portal = portal_of(request)
    subject = portal.subject
    with gate.access(portal.ctx, [subject], [], operation=OPERATION):
        # Nothing else happens in the block: this visit is logged on leaving it, before
        # the log is read, so the visit is the newest record and the total includes it.
        pass
    organisations = [(o.code, o.name) for o in selectors.log_organisations(subject)]
    form = LogFilterForm(request.GET or None, organisations=organisations)
    filters = selectors.LogFilter()
    if form.is_bound and form.is_valid():
        filters = selectors.LogFilter(
            organisation=form.cleaned_data["organisatie"],
            date_from=form.cleaned_data["van"],
            date_to=form.cleaned_data["tot"],
        )
    paginator = Paginator(selectors.log_records(subject, filters), RECORDS_PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    return render(
        request,
        "portal/privacy/log.html",
        {
            "form": form,
            "total": selectors.log_total(subject),
            "filtered": filters != selectors.LogFilter(),
            "page": page,
            "lines": selectors.log_lines(subject, page.object_list),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
