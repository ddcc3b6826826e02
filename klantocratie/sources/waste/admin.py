from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import Weighing


@admin.register(Weighing)
class WeighingAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "date", "fraction", "kg"]
    list_filter = ["fraction"]
    search_fields = ["=bsn"]
