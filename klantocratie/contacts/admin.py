"""Admin: channels and actors are configuration, edited here. Contacts and tasks hold
personal data and are registered through the services (and the privacy gate), so the
admin shows them for lookup only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Actor, Channel, Contact, InternalTask


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "display_order"]
    list_editable = ["active", "display_order"]
    search_fields = ["code", "name"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "identifier", "organisation", "active"]
    list_filter = ["kind", "organisation", "active"]
    search_fields = ["name", "identifier"]
    filter_horizontal = ["teams"]


class _LookupOnly(admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(_LookupOnly):
    # No subject or content in the list: lookups by number only, for support.
    list_display = ["nummer", "channel", "organisation", "occurred_at"]
    list_filter = ["channel", "organisation"]
    search_fields = ["=nummer"]
    exclude = ["content", "answer"]


@admin.register(InternalTask)
class InternalTaskAdmin(_LookupOnly):
    list_display = ["nummer", "kind", "status", "assigned_at", "done_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=nummer"]
    exclude = ["explanation"]
