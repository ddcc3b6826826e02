from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import ReturnedMail


@admin.register(ReturnedMail)
class ReturnedMailAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "date", "sender", "address"]
    search_fields = ["=bsn"]
