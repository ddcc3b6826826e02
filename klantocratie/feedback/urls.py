"""Feedback under /mijn/feedback/: the resident's pages, and the staff figures.

The figures live here too so the app adds nothing to the global URLs; ``cijfers/`` is
for policy analysts and case workers only (role_required), never for residents.
"""

from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("geven/", views.give, name="give"),
    path("contact/<uuid:item_uuid>/", views.satisfaction, {"about": "contact"}, name="contact"),
    path("zaak/<uuid:item_uuid>/", views.satisfaction, {"about": "zaak"}, name="case"),
    path("aanbieder/<uuid:case_uuid>/", views.switch, name="switch"),
    path("cijfers/", views.figures, name="figures"),
]
