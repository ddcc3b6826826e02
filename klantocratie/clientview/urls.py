from django.urls import path

from . import views

app_name = "clientview"
urlpatterns = [
    path("", views.search, name="search"),
    path("mijn-gegevens/", views.my_data, name="mine"),
    path("<uuid:party_uuid>/", views.detail, name="detail"),
]
