from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("volgen/", views.subscribe, name="subscribe"),
    path(
        "abonnementen/<uuid:subscription_uuid>/opzeggen/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("peilingen/<uuid:poll_uuid>/", views.poll_detail, name="poll"),
    path("peilingen/<uuid:poll_uuid>/uitslag/", views.results, name="results"),
]
