from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin, ReadOnlyInline

from .models import Business, BusinessRole, Establishment


class BusinessRoleInline(ReadOnlyInline):
    model = BusinessRole


class EstablishmentInline(ReadOnlyInline):
    model = Establishment


@admin.register(Business)
class BusinessAdmin(ReadOnlyAdmin):
    list_display = ["kvk_number", "trade_name", "legal_form", "sbi_code", "home_based"]
    list_filter = ["legal_form", "home_based"]
    search_fields = ["=kvk_number", "=rsin"]
    inlines = [BusinessRoleInline, EstablishmentInline]


@admin.register(BusinessRole)
class BusinessRoleAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "role", "business"]
    search_fields = ["=bsn"]
    list_select_related = ["business"]
