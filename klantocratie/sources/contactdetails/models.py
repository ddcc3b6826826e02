"""The municipality's client register of contact details, keyed by BSN."""

from django.db import models
from django.db.models.functions import Upper


class CorrespondencePreference(models.TextChoices):
    POST = "post", "Per post"
    EMAIL = "email", "Per e-mail"
    BERICHTENBOX = "berichtenbox", "Berichtenbox van MijnOverheid"


class ContactDetails(models.Model):
    bsn = models.CharField("BSN", max_length=9, unique=True)
    phone = models.CharField("telefoonnummer", max_length=12, blank=True)
    email = models.EmailField("e-mailadres", max_length=254, blank=True)
    correspondence_preference = models.CharField(
        "voorkeur correspondentie",
        max_length=12,
        choices=CorrespondencePreference.choices,
        default=CorrespondencePreference.POST,
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "contactgegevens"
        verbose_name_plural = "contactgegevens"
        # The desk finds a client by phone number or (case-insensitive) e-mail address.
        indexes = [
            models.Index(fields=["phone"], name="contactdetails_phone_idx"),
            models.Index(Upper("email"), name="contactdetails_email_idx"),
        ]

    def __str__(self) -> str:
        return self.bsn
