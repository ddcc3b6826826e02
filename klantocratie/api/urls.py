from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from klantocratie.knowledge.api import KnowledgeSearchView

from . import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("v1/client-view", views.ClientViewLookupView.as_view(), name="client-view"),
    path(
        "v1/parties/<uuid:party_uuid>/client-view",
        views.PartyClientView.as_view(),
        name="party-client-view",
    ),
    path(
        "v1/parties/<uuid:party_uuid>/changes",
        views.PartyChangeView.as_view(),
        name="party-changes",
    ),
    path("v1/elements", views.DataElementList.as_view(), name="elements"),
    path(
        "v1/processing-activities",
        views.ProcessingActivityList.as_view(),
        name="processing-activities",
    ),
    path("v1/sources/health", views.SourceHealthView.as_view(), name="source-health"),
    path("v1/knowledge/search", KnowledgeSearchView.as_view(), name="knowledge-search"),
    path("klantinteracties/v1/", include("klantocratie.contacts.api.urls")),
    path("zaken/v1/", include("klantocratie.cases.api.urls")),
    path("catalogi/v1/", include("klantocratie.cases.api.catalogi_urls")),
]
