"""Routes of the Klantinteracties API, without trailing slashes as in the official spec."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "klantinteracties"

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("klantcontacten", views.KlantcontactViewSet, basename="klantcontact")
router.register("betrokkenen", views.BetrokkeneViewSet, basename="betrokkene")
router.register("onderwerpobjecten", views.OnderwerpobjectViewSet, basename="onderwerpobject")
router.register("bijlagen", views.BijlageViewSet, basename="bijlage")
router.register("internetaken", views.InterneTaakViewSet, basename="internetaak")
router.register("actoren", views.ActorViewSet, basename="actor")
router.register("digitaleadressen", views.DigitaalAdresViewSet, basename="digitaaladres")
router.register("partijen", views.PartijViewSet, basename="partij")

urlpatterns = [
    path("maak-klantcontact", views.MaakKlantcontactView.as_view(), name="maak-klantcontact"),
    *router.urls,
]
