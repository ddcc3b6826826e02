"""The municipal tax office's taxpayer accounts (GBTwente collects Almelo's taxes), by BSN."""

from django.db import models


class TaxpayerAccount(models.Model):
    bsn = models.CharField("BSN", max_length=9, unique=True)
    # The account that municipal taxes are collected from and refunds are paid to.
    iban = models.CharField("IBAN", max_length=34, blank=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "belastingplichtige"
        verbose_name_plural = "belastingplichtigen"

    def __str__(self) -> str:
        return self.bsn
