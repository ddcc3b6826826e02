"""The tax office's fiscal register: annual income and assessments, keyed by BSN."""

from django.db import models


class AnnualIncome(models.Model):
    bsn = models.CharField("BSN", max_length=9)
    year = models.PositiveSmallIntegerField("jaar")
    aggregate_income = models.DecimalField("verzamelinkomen", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "inkomen"
        verbose_name_plural = "inkomens"
        constraints = [
            models.UniqueConstraint(fields=["bsn", "year"], name="unique_income_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.bsn} {self.year}"


class AssessmentStatus(models.TextChoices):
    PAID = "betaald", "betaald"
    OPEN = "openstaand", "openstaand (nog niet vervallen)"
    OBJECTION = "bezwaar", "in bezwaar"
    # Past its due date and handed to debt collection: this is what makes arrears.
    COLLECTION = "invordering", "in invordering"


class Assessment(models.Model):
    bsn = models.CharField("BSN", max_length=9)
    year = models.PositiveSmallIntegerField("belastingjaar")
    kind = models.CharField("soort", max_length=100)
    amount = models.DecimalField("bedrag", max_digits=12, decimal_places=2)
    outstanding = models.DecimalField("openstaand", max_digits=12, decimal_places=2, default=0)
    due_date = models.DateField("uiterste betaaldatum")
    status = models.CharField(max_length=12, choices=AssessmentStatus.choices)

    class Meta:
        verbose_name = "aanslag"
        verbose_name_plural = "aanslagen"
        indexes = [models.Index(fields=["bsn", "status"], name="assessment_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.year} {self.kind}"
