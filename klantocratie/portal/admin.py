"""The source organisation's side of correction requests: take up, correct or reject."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .corrections import check_progress, record_progress
from .models import CorrectionRequest, CorrectionStatus, CorrectionStep


class CorrectionStepInline(admin.TabularInline):
    model = CorrectionStep
    extra = 0
    can_delete = False
    readonly_fields = ("status", "at", "by", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProgressForm(forms.ModelForm):
    """The next step is recorded through the service, so the resident sees it."""

    next_status = forms.ChoiceField(
        label="Volgende stap",
        required=False,
        choices=[("", "—")]
        + [(s.value, s.label) for s in CorrectionStatus if s != CorrectionStatus.FORWARDED],
    )
    note = forms.CharField(
        label="Toelichting voor de inwoner",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht bij afwijzen: de inwoner leest dit op Mijn pagina.",
    )

    class Meta:
        model = CorrectionRequest
        fields: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_status"):
            try:
                check_progress(self.instance, data["next_status"], data.get("note", "").strip())
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return data


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    form = ProgressForm
    list_display = ("uuid", "element", "source", "status", "submitted_at", "decided_at")
    list_filter = ("status", "source")
    search_fields = ("uuid",)
    # The proposed value and explanation stay out of the admin: they are personal data,
    # read only through the gate. The source received them with the request's event
    # (nl.klantocratie.correctie.gevraagd) and records its steps here by reference.
    readonly_fields = ("uuid", "element", "source", "status", "submitted_at", "decided_at")
    inlines = [CorrectionStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Requests come from residents on their page, never from the admin.
        return False

    def save_model(
        self, request: HttpRequest, obj: CorrectionRequest, form: Any, change: bool
    ) -> None:
        status = form.cleaned_data.get("next_status")
        if status:
            record_progress(obj, status=status, note=form.cleaned_data.get("note", ""))
