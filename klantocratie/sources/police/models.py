"""The police's register of reports filed by residents, keyed by the reporter's BSN."""

from django.db import models


class Report(models.Model):
    bsn = models.CharField("BSN melder", max_length=9)
    date = models.DateField("datum")
    kind = models.CharField("soort", max_length=50)
    description = models.TextField("omschrijving")

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        indexes = [models.Index(fields=["bsn", "date"], name="police_report_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.date} {self.kind}"
