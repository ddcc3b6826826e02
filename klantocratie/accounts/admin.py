from django.contrib import admin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "default_activity", "valid_from", "valid_to"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username"]
    raw_id_fields = ["party"]
