"""Routes of the Zaken API, without trailing slashes as in the official spec."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "zaken"

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("zaken", views.ZaakViewSet, basename="zaak")
router.register("statussen", views.StatusViewSet, basename="status")
router.register("resultaten", views.ResultaatViewSet, basename="resultaat")
router.register("rollen", views.RolViewSet, basename="rol")

urlpatterns = [
    path(
        "zaken/<uuid:zaak_uuid>/zaakeigenschappen",
        views.ZaakEigenschapViewSet.as_view({"get": "list"}),
        name="zaakeigenschap-list",
    ),
    path(
        "zaken/<uuid:zaak_uuid>/zaakeigenschappen/<uuid:uuid>",
        views.ZaakEigenschapViewSet.as_view({"get": "retrieve"}),
        name="zaakeigenschap-detail",
    ),
    *router.urls,
]
