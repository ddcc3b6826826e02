from django.contrib import admin

from .models import Party, PartyIdentifier


class PartyIdentifierInline(admin.TabularInline):
    model = PartyIdentifier
    extra = 0


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["uuid", "party_type", "created_at"]
    list_filter = ["party_type"]
    search_fields = ["identifiers__value"]
    inlines = [PartyIdentifierInline]
