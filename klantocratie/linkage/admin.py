"""Read-only admin of the linkage register: decisions are made in the review queue,
through the gate, never by editing a row here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Link, LinkageModel, PartnerRecord


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LinkageModel)
class LinkageModelAdmin(ReadOnly):
    list_display = ["version", "source", "trained_at", "upper_threshold", "lower_threshold"]
    list_filter = ["source"]


@admin.register(Link)
class LinkAdmin(ReadOnly):
    # The party and the partner's identity stay out of the list: those are read in the
    # review queue, through the gate.
    list_display = ["pk", "record", "method", "status", "match_probability", "created_at"]
    list_filter = ["status", "method", "record__source"]
    fields = [
        "record",
        "method",
        "model",
        "match_weight",
        "match_probability",
        "ambiguous",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]


@admin.register(PartnerRecord)
class PartnerRecordAdmin(ReadOnly):
    list_display = ["reference", "source", "received_at"]
    list_filter = ["source"]
    search_fields = ["reference"]
    fields = ["source", "reference", "received_at", "updated_at"]
