from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search, name="search"),
    path("antwoord/<uuid:answer_uuid>/", views.answer_detail, name="answer"),
    path("product/<uuid:product_uuid>/", views.product_detail, name="product"),
    path("levensgebeurtenis/<slug:slug>/", views.life_event_detail, name="life-event"),
]
