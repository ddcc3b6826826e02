"""Early-warning reports of payment arrears (vroegsignalering), keyed by BSN.

Landlords, energy and water companies and health insurers report arrears to the
municipality under art. 3a Wgs. The creditor learns back only whether the report was
picked up, never what help followed.
"""

from django.db import models


class ArrearsKind(models.TextChoices):
    RENT = "huur", "huur"
    ENERGY = "energie", "energie"
    WATER = "water", "drinkwater"
    HEALTH_INSURANCE = "zorgverzekering", "zorgverzekering"


class Feedback(models.TextChoices):
    NONE = "", "nog niet teruggemeld"
    PICKED_UP = "opgepakt", "opgepakt"
    NOT_PICKED_UP = "niet-opgepakt", "niet opgepakt"


class ArrearsReport(models.Model):
    # Empty when a creditor's file names the debtor without a BSN (see the linkage).
    bsn = models.CharField("BSN", max_length=9, blank=True)
    creditor = models.CharField(
        "schuldeiser", max_length=64, help_text="Code van de organisatie die meldt."
    )
    creditor_name = models.CharField("naam schuldeiser", max_length=200)
    kind = models.CharField("soort", max_length=16, choices=ArrearsKind.choices)
    reference = models.CharField("kenmerk schuldeiser", max_length=64)
    amount = models.DecimalField("bedrag", max_digits=9, decimal_places=2)
    overdue_since = models.DateField("achterstand sinds")
    reported_on = models.DateField("gemeld op")
    feedback = models.CharField(
        "terugmelding", max_length=16, choices=Feedback.choices, default="", blank=True
    )
    feedback_on = models.DateField("teruggemeld op", null=True, blank=True)

    class Meta:
        verbose_name = "melding betalingsachterstand"
        verbose_name_plural = "meldingen betalingsachterstand"
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "reference"], name="unique_arrears_report_reference"
            )
        ]
        indexes = [models.Index(fields=["bsn", "reported_on"], name="arrears_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.creditor} {self.reference}"
