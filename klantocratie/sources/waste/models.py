"""The waste company's weighing register of chip containers, keyed by the account BSN."""

from django.db import models


class Fraction(models.TextChoices):
    RESIDUAL = "restafval", "restafval"
    ORGANIC = "gft", "groente-, fruit- en tuinafval"
    PAPER = "papier", "papier en karton"


class Weighing(models.Model):
    # Empty when a partner file names the account holder without a BSN (see the linkage).
    bsn = models.CharField("BSN aansluithouder", max_length=9, blank=True)
    date = models.DateField("datum")
    fraction = models.CharField("fractie", max_length=10, choices=Fraction.choices)
    kg = models.DecimalField("gewicht (kg)", max_digits=6, decimal_places=1)
    # The partner's key of a record delivered in a file (klantocratie.imports); empty
    # for records entered here. A re-delivery with the same key updates the record.
    reference = models.CharField("kenmerk", max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = "weging"
        verbose_name_plural = "wegingen"
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="unique_weighing_reference")
        ]
        indexes = [models.Index(fields=["bsn", "date"], name="weighing_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.date} {self.fraction}"
