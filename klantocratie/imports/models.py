"""One delivery of a partner file into a source, and what became of each of its rows."""

from __future__ import annotations

from django.db import models

# The problem list kept for display; the count and the rejects file hold all of them.
PROBLEMS_SHOWN = 1000


class BatchStatus(models.TextChoices):
    QUEUED = "in-wachtrij", "in de wachtrij"
    RUNNING = "bezig", "bezig"
    LOADED = "geladen", "geladen"
    # All or nothing was asked and a row was bad: nothing was written.
    REJECTED = "afgewezen", "afgewezen (alles of niets)"
    # The file as a whole could not be read (columns, encoding, format).
    REFUSED = "geweigerd", "geweigerd"
    EMPTY = "leeg", "leeg bestand"
    ALREADY_IMPORTED = "al-ingelezen", "al eerder ingelezen"
    FAILED = "mislukt", "mislukt"


# Outcomes in which no row of the file was stored.
REFUSALS = (BatchStatus.REJECTED, BatchStatus.REFUSED, BatchStatus.EMPTY)


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON Lines"


class ImportBatch(models.Model):
    source = models.ForeignKey(
        "registry.Source", on_delete=models.PROTECT, related_name="import_batches"
    )
    file_name = models.CharField("bestandsnaam", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    size = models.BigIntegerField("grootte (bytes)", default=0)
    file_format = models.CharField("formaat", max_length=8, choices=FileFormat.choices, blank=True)
    # Blank until read when the encoding is to be detected.
    encoding = models.CharField("tekenset", max_length=32, blank=True)
    all_or_nothing = models.BooleanField("alles of niets", default=False)
    status = models.CharField(max_length=16, choices=BatchStatus.choices)
    rows_read = models.PositiveIntegerField("regels gelezen", default=0)
    created = models.PositiveIntegerField("nieuw", default=0)
    updated = models.PositiveIntegerField("bijgewerkt", default=0)
    unchanged = models.PositiveIntegerField("ongewijzigd", default=0)
    rejected = models.PositiveIntegerField("afgekeurd", default=0)
    # [{"row": int | None, "field": str, "reason": str}], the first PROBLEMS_SHOWN.
    problems = models.JSONField("problemen", default=list, blank=True)
    problem_count = models.PositiveIntegerField("aantal problemen", default=0)
    # What the reader noticed without refusing anything (e.g. the encoding it chose).
    notices = models.JSONField("opmerkingen", default=list, blank=True)
    rejects_file = models.CharField("bestand afgekeurde regels", max_length=500, blank=True)
    # An uploaded file waiting for its task; removed once read.
    upload = models.CharField(max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name="zelfde bestand als",
    )
    requested_by = models.CharField("aangevraagd door", max_length=150)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    started_at = models.DateTimeField("gestart", null=True, blank=True)
    finished_at = models.DateTimeField("klaar", null=True, blank=True)

    class Meta:
        verbose_name = "import van een partnerbestand"
        verbose_name_plural = "imports van partnerbestanden"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source", "sha256"], name="import_batch_file_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.source.code} ({self.get_status_display()})"

    @property
    def loaded(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def refused(self) -> bool:
        return self.status in REFUSALS

    def summary(self) -> str:
        """The outcome in one Dutch sentence, for the command and the admin."""
        if self.status == BatchStatus.ALREADY_IMPORTED:
            earlier = self.duplicate_of
            when = f" op {earlier.created_at:%d-%m-%Y %H:%M}" if earlier else ""
            number = f" (import {earlier.pk})" if earlier else ""
            return f"Dit bestand is al eerder ingelezen{when}{number}; er is niets geschreven."
        counts = (
            f"{self.rows_read} regels gelezen: {self.created} nieuw, {self.updated} "
            f"bijgewerkt, {self.unchanged} ongewijzigd, {self.rejected} afgekeurd."
        )
        if self.status == BatchStatus.REJECTED:
            return (
                f"Afgewezen: {self.rejected} van {self.rows_read} regels afgekeurd en alles "
                "of niets gevraagd, dus er is niets geladen."
            )
        reasons = " ".join(problem["reason"] for problem in self.problems[:3])
        if self.status in (BatchStatus.REFUSED, BatchStatus.EMPTY):
            return f"{self.get_status_display().capitalize()}: {reasons} Er is niets geladen."
        if self.status == BatchStatus.FAILED:
            kept = (
                "Er is niets geladen."
                if self.all_or_nothing
                else "Wat al geladen was blijft staan; opnieuw inlezen werkt het bij."
            )
            return f"Mislukt: {reasons} {kept}"
        return f"{self.get_status_display().capitalize()}. {counts}"
