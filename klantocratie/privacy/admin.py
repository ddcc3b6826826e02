from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AuditEntry,
    ChoicePurpose,
    Grant,
    PrivacyChoice,
    ProcessingActivity,
    ProcessingLogRecord,
)


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "version",
        "name",
        "controller",
        "gdpr_basis",
        "choice_rule",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["controller", "gdpr_basis", "choice_rule"]
    search_fields = ["code", "name", "purpose", "legal_article"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "role",
        "activity",
        "may_change",
        "subject_scope",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["organisation", "role", "activity", "may_change"]
    filter_horizontal = ["elements"]


@admin.register(ChoicePurpose)
class ChoicePurposeAdmin(admin.ModelAdmin):
    """Read-only: the purposes come from the pack's privacy-choices.yaml, checked against
    the register when loaded; an edit here would bypass that check."""

    list_display = ["code", "kind", "title", "display_order"]
    readonly_fields = [
        "code",
        "kind",
        "title",
        "benefit",
        "privacy_cost",
        "statement",
        "withdraw_statement",
        "activities",
        "display_order",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PrivacyChoice)
class PrivacyChoiceAdmin(admin.ModelAdmin):
    list_display = [
        "party",
        "purpose",
        "kind",
        "status",
        "decided_at",
        "expires_at",
        "collected_via",
    ]
    list_filter = ["purpose", "kind", "status", "collected_via"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Log and audit trail are evidence: viewable, never editable, never deletable."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProcessingLogRecord)
class ProcessingLogRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence",
        "start_time",
        "operation",
        "processing_activity_id",
        "data_subject_type",
        "status",
    ]
    list_filter = ["operation", "processing_activity_id", "status"]
    search_fields = ["trace_id", "data_subject_id"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor",
        "role",
        "organisation",
        "operation",
        "processing_activity_id",
        "outcome",
    ]
    list_filter = ["outcome", "role", "organisation", "operation"]
    search_fields = ["actor", "trace_id", "data_subject_id"]
