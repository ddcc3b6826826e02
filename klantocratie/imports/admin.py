"""Uploading a partner file, and the batches as a read-only record of what each did.

Who may add a batch (upload) may see the batches and download their rejects: the
uploader needs the outcome to correct the file. Nobody changes or deletes a batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from klantocratie.registry.models import Source

from .formats import UTF8, WINDOWS_1252
from .models import ImportBatch
from .registry import importers
from .selectors import importable_sources
from .services import queue_upload


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(label="Bron", queryset=Source.objects.none())
    file = forms.FileField(label="Bestand (CSV of JSON Lines)")
    all_or_nothing = forms.BooleanField(
        label="Alles of niets: laad niets als er één regel is afgekeurd", required=False
    )
    encoding = forms.ChoiceField(
        label="Tekenset",
        required=False,
        choices=[
            ("", "Automatisch (UTF-8, anders Windows-1252)"),
            (UTF8, "UTF-8"),
            (WINDOWS_1252, "Windows-1252 (Latin-1)"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Importers register in their apps' ready(), which may run after this module is
        # imported; asked per form, the list is complete and has new sources too.
        self.fields["source"].queryset = importable_sources()  # type: ignore[attr-defined]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "source",
        "file_name",
        "status",
        "rows_read",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "requested_by",
    ]
    list_filter = ["status", "source", "all_or_nothing"]
    search_fields = ["file_name", "sha256", "requested_by"]
    fields = (
        "source",
        "file_name",
        "status",
        "outcome",
        "notices_text",
        "problem_table",
        "rejects_link",
        "earlier_batch",
        "all_or_nothing",
        "file_format",
        "encoding",
        "size",
        "sha256",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or self.has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        rejects = path(
            "<int:batch_id>/afgekeurd/",
            self.admin_site.admin_view(self.rejects_view),
            name="imports_importbatch_rejects",
        )
        return [rejects, *super().get_urls()]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            batch = queue_upload(
                form.cleaned_data["source"],
                form.cleaned_data["file"],
                all_or_nothing=form.cleaned_data["all_or_nothing"],
                requested_by=request.user.get_username(),
                encoding=form.cleaned_data["encoding"] or None,
            )
            return redirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Partnerbestand inlezen",
            "form": form,
            "importers": importers(),
        }
        return TemplateResponse(request, "admin/imports/importbatch/upload.html", context)

    def rejects_view(self, request: HttpRequest, batch_id: int) -> FileResponse:
        batch = get_object_or_404(ImportBatch, pk=batch_id)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        rejects = Path(batch.rejects_file)
        if not batch.rejects_file or not rejects.is_file():
            raise Http404("Geen bestand met afgekeurde regels.")
        return FileResponse(rejects.open("rb"), as_attachment=True, filename=rejects.name)

    @admin.display(description="uitkomst")
    def outcome(self, batch: ImportBatch) -> str:
        return batch.summary()

    @admin.display(description="opmerkingen")
    def notices_text(self, batch: ImportBatch) -> str:
        return " ".join(batch.notices) or "-"

    @admin.display(description="problemen")
    def problem_table(self, batch: ImportBatch) -> str:
        if not batch.problems:
            return "-"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (problem["row"] or "bestand", problem["field"] or "-", problem["reason"])
                for problem in batch.problems
            ),
        )
        shown = len(batch.problems)
        note = (
            f"De eerste {shown} van {batch.problem_count}; alle staan in het bestand met "
            "afgekeurde regels."
            if batch.problem_count > shown
            else f"{batch.problem_count} in totaal."
        )
        return format_html(
            "<p>{}</p><table><thead><tr><th>Regel</th><th>Veld</th><th>Reden</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            note,
            rows,
        )

    @admin.display(description="afgekeurde regels")
    def rejects_link(self, batch: ImportBatch) -> str:
        if not batch.rejects_file:
            return "-"
        url = reverse("admin:imports_importbatch_rejects", args=[batch.pk])
        return format_html('<a href="{}">{} afgekeurde regels downloaden</a>', url, batch.rejected)

    @admin.display(description="zelfde bestand als")
    def earlier_batch(self, batch: ImportBatch) -> str:
        if batch.duplicate_of is None:
            return "-"
        url = reverse("admin:imports_importbatch_change", args=[batch.duplicate_of.pk])
        return format_html('<a href="{}">{}</a>', url, batch.duplicate_of)
