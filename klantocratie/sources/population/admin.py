from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import FamilyRelation, Person, Residence


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "given_names", "surname_prefix", "surname", "birth_date", "gender"]
    search_fields = ["=bsn"]


@admin.register(Residence)
class ResidenceAdmin(ReadOnlyAdmin):
    list_display = [
        "bsn",
        "street",
        "house_number",
        "postcode",
        "buurt_code",
        "valid_from",
        "valid_to",
    ]
    search_fields = ["=bsn"]


@admin.register(FamilyRelation)
class FamilyRelationAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "kind", "related_bsn", "valid_from", "valid_to"]
    search_fields = ["=bsn"]
