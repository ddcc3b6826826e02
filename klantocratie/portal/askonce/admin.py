from django.contrib import admin
from django.http import HttpRequest

from .models import RequestForm


@admin.register(RequestForm)
class RequestFormAdmin(admin.ModelAdmin):
    """Forms are changed in the pack's YAML files and loaded (checked against the case
    types and the catalogue); the admin shows what is loaded."""

    list_display = ("title", "code", "version", "state", "valid_from", "valid_until", "case_type")
    list_filter = ("state", "case_type")
    search_fields = ("code", "title")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RequestForm | None = None) -> bool:
        return False
