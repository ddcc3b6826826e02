from django.urls import path

from . import views

app_name = "contacts"
urlpatterns = [
    path("", views.find_by_number, name="find"),
    path("formulier/", views.web_form, name="web-form"),
    path("email/", views.email_upload, name="email-upload"),
    path("scan/", views.scan_upload, name="scan-upload"),
    path("taken/", views.work_list, name="work-list"),
    path("taken/<uuid:task_uuid>/", views.task_detail, name="task"),
    path("taken/<uuid:task_uuid>/afronden/", views.complete, name="complete"),
    path("bijlagen/<uuid:attachment_uuid>/", views.attachment, name="attachment"),
    path("<str:nummer>/", views.detail, name="detail"),
]
