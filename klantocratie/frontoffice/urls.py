from django.urls import path

from . import views

app_name = "frontoffice"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("klant/<uuid:party_uuid>/", views.client, name="client"),
    path("klant/<uuid:party_uuid>/wijzigen/", views.change, name="change"),
    path("klant/<uuid:party_uuid>/contact/", views.register_contact, name="contact"),
    path("klant/<uuid:party_uuid>/overdracht/", views.hand_over, name="handover"),
]
