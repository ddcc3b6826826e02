from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import Complaint, RentArrears, Tenancy


@admin.register(Tenancy)
class TenancyAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "address", "start_date", "end_date", "base_rent"]
    search_fields = ["=bsn"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "date", "category", "status"]
    list_filter = ["status", "category"]
    search_fields = ["=bsn"]


@admin.register(RentArrears)
class RentArrearsAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "amount", "days_overdue", "reported_on"]
    search_fields = ["=bsn"]
