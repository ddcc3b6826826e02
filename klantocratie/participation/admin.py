"""The griffie's admin: themes, council members and polls, published by an action.

Subscriptions, answers and notices are residents' data and are not shown here; the
griffie sees a poll's answers only as the protected results on its page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import CouncilMember, Poll, PollOption, PollStatus, Theme
from .results import poll_results
from .services import close_poll, publish_poll


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "fractie", "active")
    list_filter = ("active", "fractie")
    search_fields = ("name", "fractie")
    filter_horizontal = ("themes",)
    prepopulated_fields = {"code": ("name",)}


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 3

    # Once residents can answer, the answers they chose must keep their meaning.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == PollStatus.DRAFT

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == PollStatus.DRAFT

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == PollStatus.DRAFT


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ("title", "theme", "council_member", "opens_at", "closes_at", "status")
    list_filter = ("status", "theme", "council_member")
    search_fields = ("title", "question")
    inlines = [PollOptionInline]
    actions = ["publish", "close"]
    fields = (
        "title",
        "question",
        "theme",
        "council_member",
        "opens_at",
        "closes_at",
        "areas",
        "breakdown",
        "status",
        "published_at",
        "published_by",
        "closed_at",
        "results",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = ("status", "published_at", "published_by", "closed_at", "results")
        if obj is not None and obj.status != PollStatus.DRAFT:
            return (*fixed, "question", "theme", "council_member", "opens_at", "areas", "breakdown")
        return fixed

    @admin.display(description="uitslag (na bescherming van kleine aantallen)")
    def results(self, poll: Poll) -> SafeString | str:
        if poll.pk is None or poll.status == PollStatus.DRAFT:
            return "—"
        outcome = poll_results(poll)
        rows = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((option.label, cell.text) for option, cell in outcome.rows),
        )
        return format_html("<p>Deelnemers: {}</p><ul>{}</ul>", outcome.total.text, rows)

    @admin.action(description="Publiceer de gekozen peilingen en informeer de volgers")
    def publish(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        for poll in queryset:
            try:
                notified = publish_poll(poll, by=request.user.get_username())
            except ValidationError as error:
                self.message_user(
                    request, f"{poll}: {' '.join(error.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(
                    request, f"{poll}: gepubliceerd; {notified} volgers krijgen bericht."
                )

    @admin.action(description="Sluit de gekozen peilingen")
    def close(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        for poll in queryset:
            try:
                close_poll(poll)
            except ValidationError as error:
                self.message_user(
                    request, f"{poll}: {' '.join(error.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(request, f"{poll}: gesloten; de uitslag is zichtbaar.")
