from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("nieuw/", views.start, name="start"),
    # The resident's cases moved to the personal page; old links and bookmarks follow.
    path("mijn/", RedirectView.as_view(pattern_name="portal:cases", permanent=True)),
    path("eerste-lijn/<uuid:party_uuid>/", views.first_line, name="first-line"),
    path("<uuid:case_uuid>/", views.detail, name="detail"),
    path("<uuid:case_uuid>/documenten/<uuid:document_uuid>/", views.document, name="document"),
    path("<uuid:case_uuid>/<slug:action>/", views.act, name="act"),
]
