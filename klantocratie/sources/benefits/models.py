"""The benefits agency's register of benefit awards, keyed by BSN."""

from django.db import models


class Scheme(models.TextChoices):
    WW = "WW", "WW (werkloosheid)"
    WIA = "WIA", "WIA (arbeidsongeschiktheid)"
    WAJONG = "Wajong", "Wajong"
    AOW = "AOW", "AOW (ouderdomspensioen)"
    ANW = "Anw", "Anw (nabestaanden)"
    BIJSTAND = "Bijstand", "Bijstand (Participatiewet)"
    ZORGTOESLAG = "Zorgtoeslag", "Zorgtoeslag"
    HUURTOESLAG = "Huurtoeslag", "Huurtoeslag"
    KINDERBIJSLAG = "Kinderbijslag", "Kinderbijslag"


class Benefit(models.Model):
    """An award; end_date stays empty while the benefit is paid out."""

    bsn = models.CharField("BSN", max_length=9)
    scheme = models.CharField("regeling", max_length=16, choices=Scheme.choices)
    start_date = models.DateField("ingangsdatum")
    end_date = models.DateField("einddatum", null=True, blank=True)
    monthly_amount = models.DecimalField("bedrag per maand", max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = "uitkering"
        verbose_name_plural = "uitkeringen"
        indexes = [models.Index(fields=["bsn", "end_date"], name="benefit_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.scheme}"
