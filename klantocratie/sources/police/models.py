"""The police's register of reports filed by residents, keyed by the reporter's BSN."""

from django.db import models


class Report(models.Model):
    # Empty when a partner file names the reporter without a BSN (see the linkage).
    bsn = models.CharField("BSN melder", max_length=9, blank=True)
    date = models.DateField("datum")
    kind = models.CharField("soort", max_length=50)
    description = models.TextField("omschrijving")
    # The partner's key of a record delivered in a file (klantocratie.imports); empty
    # for records entered here. A re-delivery with the same key updates the record.
    reference = models.CharField("kenmerk", max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="unique_police_report_reference")
        ]
        indexes = [models.Index(fields=["bsn", "date"], name="police_report_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.date} {self.kind}"
