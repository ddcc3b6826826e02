"""Register of undeliverable mail returned to government senders, keyed by addressee BSN."""

from django.db import models


class ReturnedMail(models.Model):
    bsn = models.CharField("BSN geadresseerde", max_length=9)
    date = models.DateField("datum retour")
    sender = models.CharField("afzender", max_length=200)
    address = models.CharField("adres op de zending", max_length=300)

    class Meta:
        verbose_name = "onbestelbare zending"
        verbose_name_plural = "onbestelbare zendingen"
        indexes = [models.Index(fields=["bsn", "date"], name="returned_mail_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.date} {self.sender}"
