from django.contrib import admin

from .models import DataElement, Organisation, Source


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class DataElementInline(admin.TabularInline):
    model = DataElement
    extra = 0
    fields = ["code", "label", "party_type", "category", "changeable"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organisation", "connector", "active"]
    list_filter = ["organisation", "connector", "active"]
    search_fields = ["code", "name"]
    inlines = [DataElementInline]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "source", "party_type", "category", "changeable"]
    list_filter = ["source__organisation", "party_type", "category", "changeable"]
    search_fields = ["code", "label"]
