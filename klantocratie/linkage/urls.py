from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("gekoppeld/", views.linked, name="linked"),
    path("<int:link_id>/", views.detail, name="detail"),
    path("<int:link_id>/besluit/", views.decide, name="decide"),
]
