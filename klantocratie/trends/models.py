"""Neighbourhood trends as they are published: counts after small-cell suppression.

Only the protected output is stored. A suppressed cell is a row with no count, so no
page, export or endpoint can show a value that the suppression hid; the raw counts
live only in memory while `services.refresh_trends` computes them.
"""

from __future__ import annotations

import uuid

from django.db import models

from .aggregate import Calendar
from .choices import Level, Measure


class TrendRun(models.Model):
    """One computation of the trends from one analytic snapshot; the newest is shown."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.CharField(max_length=150)
    # The analytics.Snapshot the facts came from (kept as its uuid: the snapshot's
    # file may be cleaned up long before anyone stops reading a council memo).
    snapshot_uuid = models.UUIDField(null=True, blank=True)
    reference_date = models.DateField(help_text="The date the facts are as of.")
    first_week = models.DateField(help_text="Monday of the first week counted.")
    last_week = models.DateField(help_text="Monday of the last complete week counted.")
    min_cell = models.PositiveIntegerField(help_text="k: the smallest count that is shown.")
    spike_weeks = models.PositiveIntegerField()
    spike_ratio = models.FloatField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "trendberekening"
        verbose_name_plural = "trendberekeningen"

    def __str__(self) -> str:
        return f"Trends per {self.reference_date:%d-%m-%Y}"

    @property
    def calendar(self) -> Calendar:
        """The weeks counted and the spike detector's windows."""
        return Calendar(self.first_week, self.last_week, self.spike_weeks)


class TrendCell(models.Model):
    """The count of one measure and category in one area and ISO week, or hidden."""

    run = models.ForeignKey(TrendRun, on_delete=models.CASCADE, related_name="cells")
    level = models.CharField(max_length=8, choices=Level.choices)
    area_code = models.CharField(max_length=12)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    category = models.CharField(max_length=255, blank=True)
    week = models.DateField(help_text="Monday of the ISO week.")
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty when the cell is suppressed."
    )

    class Meta:
        ordering = ["level", "area_code", "measure", "category", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "level", "area_code", "measure", "category", "week"],
                name="trend_cell_unique",
            )
        ]
        indexes = [models.Index(fields=["run", "measure", "level", "area_code", "week"])]
        verbose_name = "trendcel"
        verbose_name_plural = "trendcellen"

    def __str__(self) -> str:
        return f"{self.area_code} {self.measure} {self.category} {self.week}"

    @property
    def suppressed(self) -> bool:
        return self.count is None


class TrendSpike(models.Model):
    """A series whose recent weeks rose sharply against the weeks before, explained."""

    run = models.ForeignKey(TrendRun, on_delete=models.CASCADE, related_name="spikes")
    level = models.CharField(max_length=8, choices=Level.choices)
    area_code = models.CharField(max_length=12)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    category = models.CharField(max_length=255, blank=True)
    recent = models.PositiveIntegerField(help_text="Count in the recent window.")
    previous = models.PositiveIntegerField(
        null=True, blank=True, help_text="Count in the window before; empty when suppressed."
    )
    explanation = models.TextField()

    class Meta:
        ordering = ["-recent", "level", "area_code", "measure", "category"]
        verbose_name = "trendsprong"
        verbose_name_plural = "trendsprongen"

    def __str__(self) -> str:
        return self.explanation
