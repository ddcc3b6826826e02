from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import AnnualIncome, Assessment


@admin.register(AnnualIncome)
class AnnualIncomeAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "year", "aggregate_income"]
    search_fields = ["=bsn"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "year", "kind", "amount", "outstanding", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["=bsn"]
