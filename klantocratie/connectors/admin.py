from django.contrib import admin

from .models import SourceChange


@admin.register(SourceChange)
class SourceChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source", "element", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in SourceChange._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
