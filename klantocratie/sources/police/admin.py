from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "date", "kind"]
    list_filter = ["kind"]
    search_fields = ["=bsn"]
