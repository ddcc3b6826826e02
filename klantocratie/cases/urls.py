from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("nieuw/", views.start, name="start"),
    path("mijn/", views.my_cases, name="mine"),
    path("eerste-lijn/<uuid:party_uuid>/", views.first_line, name="first-line"),
    path("mijn/<uuid:case_uuid>/<slug:action>/", views.my_case_action, name="my-action"),
    path("<uuid:case_uuid>/", views.detail, name="detail"),
    path("<uuid:case_uuid>/documenten/<uuid:document_uuid>/", views.document, name="document"),
    path("<uuid:case_uuid>/<slug:action>/", views.act, name="act"),
]
