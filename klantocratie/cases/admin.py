"""Case types in the admin: configuration, readable by administrators.

Case types are written in the pack and loaded with `load_case_types`, so a version's
content is read-only here: a published version never changes, and a draft changes in
its file. Cases themselves hold personal data and are not in the admin at all.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import (
    CaseType,
    CaseTypeVersion,
    DecisionTable,
    ResultType,
    StatusType,
    TaskType,
    VersionState,
)
from .services import publish_version


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class StatusTypeInline(ReadOnlyInline):
    model = StatusType
    fields = ("order", "code", "description", "resident_text", "notify")


class ResultTypeInline(ReadOnlyInline):
    model = ResultType
    fields = (
        "code",
        "description",
        "generic_description",
        "selection_list_class",
        "retention_period",
        "offers_decision",
    )


class TaskTypeInline(ReadOnlyInline):
    model = TaskType
    fields = ("code", "name", "required_before", "discretionary", "decision_table", "advice_step")


class DecisionTableInline(ReadOnlyInline):
    model = DecisionTable
    fields = ("code", "name", "source_file", "sha256")


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = ("identification", "organisation")
    search_fields = ("identification",)


@admin.action(description="Publiceer de gekozen conceptversies")
def publish(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for version in queryset.filter(state=VersionState.DRAFT):
        try:
            publish_version(version)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{version}: {' '.join(error.messages)}", messages.ERROR
            )
        else:
            modeladmin.message_user(request, f"{version} is gepubliceerd.")


@admin.register(CaseTypeVersion)
class CaseTypeVersionAdmin(admin.ModelAdmin):
    list_display = (
        "description",
        "case_type",
        "version",
        "state",
        "valid_from",
        "valid_until",
        "first_line_can_handle",
    )
    list_filter = ("state", "case_type__organisation", "first_line_can_handle")
    search_fields = ("description", "case_type__identification")
    inlines = [StatusTypeInline, ResultTypeInline, TaskTypeInline, DecisionTableInline]
    actions = [publish]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in CaseTypeVersion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
