from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "contacts"
urlpatterns = [
    path("", views.find_by_number, name="find"),
    # The resident's general question moved to the personal page.
    path("formulier/", RedirectView.as_view(pattern_name="portal:question", permanent=True)),
    path("email/", views.email_upload, name="email-upload"),
    path("scan/", views.scan_upload, name="scan-upload"),
    path("taken/", views.work_list, name="work-list"),
    path("taken/<uuid:task_uuid>/", views.task_detail, name="task"),
    path("taken/<uuid:task_uuid>/afronden/", views.complete, name="complete"),
    path("bijlagen/<uuid:attachment_uuid>/", views.attachment, name="attachment"),
    path("<str:nummer>/", views.detail, name="detail"),
]
