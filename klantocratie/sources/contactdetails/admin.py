from django.contrib import admin

from klantocratie.sources.common import ReadOnlyAdmin

from .models import ContactDetails


@admin.register(ContactDetails)
class ContactDetailsAdmin(ReadOnlyAdmin):
    list_display = ["bsn", "phone", "email", "correspondence_preference", "updated_at"]
    search_fields = ["=bsn"]
