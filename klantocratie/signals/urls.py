from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "signals"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("regels/", views.rules, name="rules"),
    path("regels/<slug:code>/", views.rule, name="rule"),
    # The resident's signals moved to the personal page.
    path("mijn/", RedirectView.as_view(pattern_name="portal:signals", permanent=True)),
    path("<uuid:signal_uuid>/", views.detail, name="detail"),
    path("<uuid:signal_uuid>/<slug:action>/", views.act, name="act"),
]
