"""Routes of the Catalogi API (read only), without trailing slashes as in the spec."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "catalogi"

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("zaaktypen", views.ZaakTypeViewSet, basename="zaaktype")
router.register("statustypen", views.StatusTypeViewSet, basename="statustype")
router.register("resultaattypen", views.ResultaatTypeViewSet, basename="resultaattype")
router.register("roltypen", views.RolTypeViewSet, basename="roltype")

urlpatterns = router.urls
