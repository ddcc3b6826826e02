from django.urls import path

from . import views

app_name = "signals"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("regels/", views.rules, name="rules"),
    path("regels/<slug:code>/", views.rule, name="rule"),
    path("mijn/", views.mine, name="mine"),
    path("mijn/<uuid:signal_uuid>/<slug:action>/", views.my_action, name="my-action"),
    path("<uuid:signal_uuid>/", views.detail, name="detail"),
    path("<uuid:signal_uuid>/<slug:action>/", views.act, name="act"),
]
