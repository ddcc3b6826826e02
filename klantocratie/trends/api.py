"""Read-only API of the published trends: the same suppressed cells as the dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from klantocratie.accounts.roles import Role

from . import selectors, serializers
from .choices import Level, Measure
from .models import TrendCell, TrendSpike

TREND_API_ROLES = frozenset({Role.POLICY_ANALYST, Role.PRIVACY_OFFICER})


class CellFilter(filters.FilterSet):
    measure = filters.ChoiceFilter(choices=Measure.choices)
    level = filters.ChoiceFilter(choices=Level.choices)
    area = filters.CharFilter(field_name="area_code", help_text="CBS buurt or wijk code.")
    category = filters.CharFilter()
    week_from = filters.DateFilter(field_name="week", lookup_expr="gte")
    week_to = filters.DateFilter(field_name="week", lookup_expr="lte")

    class Meta:
        model = TrendCell
        fields: list[str] = []


class SpikeFilter(filters.FilterSet):
    measure = filters.ChoiceFilter(choices=Measure.choices)
    level = filters.ChoiceFilter(choices=Level.choices)
    area = filters.CharFilter(field_name="area_code", help_text="CBS buurt or wijk code.")
    category = filters.CharFilter()

    class Meta:
        model = TrendSpike
        fields: list[str] = []


class TrendCellList(generics.ListAPIView[TrendCell]):
    """Counts per area, ISO week, measure and category of the newest computation.

    A suppressed cell has `count` null: fewer than k events or persons, or hidden so
    that no hidden count can be worked out from a wijk or period total.
    """

    allowed_roles = TREND_API_ROLES
    filter_backends = [filters.DjangoFilterBackend]
    serializer_class = serializers.TrendCellSerializer
    filterset_class = CellFilter

    def get_queryset(self) -> QuerySet[TrendCell]:
        run = selectors.current_run()
        if run is None:
            return TrendCell.objects.none()
        return run.cells.order_by("level", "area_code", "measure", "category", "week", "pk")


class TrendSpikeList(generics.ListAPIView[TrendSpike]):
    """Spikes of the newest computation, with their explanation in Dutch."""

    allowed_roles = TREND_API_ROLES
    filter_backends = [filters.DjangoFilterBackend]
    serializer_class = serializers.TrendSpikeSerializer
    filterset_class = SpikeFilter

    def get_queryset(self) -> QuerySet[TrendSpike]:
        run = selectors.current_run()
        if run is None:
            return TrendSpike.objects.none()
        return run.spikes.order_by("-recent", "level", "area_code", "measure", "category", "pk")


class TrendRunView(APIView):
    """The newest computation: reference date, weeks counted, k and the spike rule."""

    allowed_roles = TREND_API_ROLES

    @extend_schema(responses=serializers.TrendRunSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = selectors.current_run()
        if run is None:
            raise Http404("Er zijn nog geen buurttrends berekend.")
        return Response(serializers.TrendRunSerializer(run).data)
