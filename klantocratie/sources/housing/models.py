"""The housing corporation's tenancy administration, keyed by the tenant's BSN."""

from django.db import models


class Tenancy(models.Model):
    """A rental contract; end_date stays empty while it runs."""

    bsn = models.CharField("BSN huurder", max_length=9)
    address = models.CharField("adres", max_length=300)
    postcode = models.CharField(max_length=6)
    start_date = models.DateField("ingangsdatum")
    end_date = models.DateField("einddatum", null=True, blank=True)
    base_rent = models.DecimalField("kale huur", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = "huurcontract"
        verbose_name_plural = "huurcontracten"
        indexes = [models.Index(fields=["bsn", "end_date"], name="tenancy_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.address}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "open"
    IN_PROGRESS = "in behandeling", "in behandeling"
    CLOSED = "afgehandeld", "afgehandeld"


class Complaint(models.Model):
    # Empty when a partner file names the tenant without a BSN (see the linkage).
    bsn = models.CharField("BSN huurder", max_length=9, blank=True)
    date = models.DateField("datum")
    category = models.CharField("categorie", max_length=50)
    description = models.TextField("omschrijving")
    status = models.CharField(max_length=16, choices=ComplaintStatus.choices)
    # The partner's key of a record delivered in a file (klantocratie.imports); empty
    # for records entered here. A re-delivery with the same key updates the record.
    reference = models.CharField("kenmerk", max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = "klacht"
        verbose_name_plural = "klachten"
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="unique_complaint_reference")
        ]
        indexes = [models.Index(fields=["bsn", "date"], name="complaint_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.date} {self.category}"


class RentArrears(models.Model):
    """The tenant's current arrears, as reported for early warning (vroegsignalering).

    One row per tenant: it is updated while arrears run and removed once paid.
    """

    bsn = models.CharField("BSN huurder", max_length=9, unique=True)
    amount = models.DecimalField("bedrag", max_digits=9, decimal_places=2)
    days_overdue = models.PositiveIntegerField("dagen achterstand")
    reported_on = models.DateField("gemeld op")

    class Meta:
        verbose_name = "huurachterstand"
        verbose_name_plural = "huurachterstanden"

    def __str__(self) -> str:
        return f"{self.bsn} {self.amount}"
