from __future__ import annotations

from rest_framework import serializers

from .areas import area_name
from .models import TrendCell, TrendRun, TrendSpike
from .selectors import iso_week


class TrendRunSerializer(serializers.ModelSerializer[TrendRun]):
    min_cell = serializers.IntegerField(
        help_text="k: counts below it, or of fewer persons, are never published."
    )

    class Meta:
        model = TrendRun
        fields = [
            "uuid",
            "created_at",
            "reference_date",
            "first_week",
            "last_week",
            "min_cell",
            "spike_weeks",
            "spike_ratio",
        ]


class TrendCellSerializer(serializers.ModelSerializer[TrendCell]):
    area_name = serializers.SerializerMethodField()
    iso_week = serializers.SerializerMethodField()
    count = serializers.IntegerField(
        allow_null=True, help_text="The count; null when the cell is suppressed."
    )
    suppressed = serializers.BooleanField(read_only=True)

    class Meta:
        model = TrendCell
        fields = [
            "level",
            "area_code",
            "area_name",
            "measure",
            "category",
            "week",
            "iso_week",
            "count",
            "suppressed",
        ]

    def get_area_name(self, cell: TrendCell) -> str:
        return area_name(cell.area_code)

    def get_iso_week(self, cell: TrendCell) -> str:
        return iso_week(cell.week)


class TrendSpikeSerializer(serializers.ModelSerializer[TrendSpike]):
    area_name = serializers.SerializerMethodField()
    previous = serializers.IntegerField(
        allow_null=True, help_text="The count in the window before; null when suppressed."
    )

    class Meta:
        model = TrendSpike
        fields = [
            "level",
            "area_code",
            "area_name",
            "measure",
            "category",
            "recent",
            "previous",
            "explanation",
        ]

    def get_area_name(self, spike: TrendSpike) -> str:
        return area_name(spike.area_code)
