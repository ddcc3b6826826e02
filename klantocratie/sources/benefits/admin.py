from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import Benefit


@admin.register(Benefit)
class BenefitAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "scheme", "start_date", "end_date", "monthly_amount"]
    list_filter = ["scheme"]
    search_fields = ["=bsn"]
