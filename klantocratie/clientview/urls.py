from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "clientview"
urlpatterns = [
    path("", views.search, name="search"),
    # The resident's own data moved to the personal page.
    path("mijn-gegevens/", RedirectView.as_view(pattern_name="portal:data", permanent=True)),
    path("<uuid:party_uuid>/", views.detail, name="detail"),
]
