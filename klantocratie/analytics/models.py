"""Analytic snapshots: facts extracted through the gate for one processing activity."""

import uuid

from django.db import models


class Snapshot(models.Model):
    """One extraction of facts into a Parquet file, bound to one activity version.

    The file holds pseudonyms, never identifiers; this row says what was extracted,
    when, under which activity and trace, and the file's hash, so a rule run on it
    can be repeated and checked.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity_id = models.CharField("verwerking", max_length=120)
    elements = models.JSONField("gegevens", default=list)
    reference_date = models.DateField("peildatum")
    created_at = models.DateTimeField("gemaakt op", auto_now_add=True)
    requested_by = models.CharField("aangevraagd door", max_length=150)
    path = models.CharField("bestand", max_length=500)
    sha256 = models.CharField(max_length=64)
    subjects = models.PositiveIntegerField("betrokkenen")
    facts = models.PositiveBigIntegerField("feiten")
    excluded = models.PositiveIntegerField("uitgesloten op eigen keuze")
    trace_id = models.CharField(max_length=32)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.activity_id} {self.reference_date:%d-%m-%Y} ({self.facts} feiten)"
