"""The dashboard under /trends/ and the API under /api/trends/v1/, mounted at the root."""

from django.urls import path

from . import api, views

app_name = "trends"
urlpatterns = [
    path("trends/", views.dashboard, name="dashboard"),
    path("trends/export.csv", views.export_csv, name="export-csv"),
    path("trends/export.pdf", views.export_pdf, name="export-pdf"),
    path("api/trends/v1/run/", api.TrendRunView.as_view(), name="api-run"),
    path("api/trends/v1/cells/", api.TrendCellList.as_view(), name="api-cells"),
    path("api/trends/v1/spikes/", api.TrendSpikeList.as_view(), name="api-spikes"),
]
