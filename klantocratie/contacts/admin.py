"""Admin: channels and actors are configuration, edited here. Contacts and tasks hold
personal data: they are read and written only through the services and the privacy
gate (support looks a contact up by its number at /contacten/), never in the admin."""

from django.contrib import admin

from .models import Actor, Channel


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
