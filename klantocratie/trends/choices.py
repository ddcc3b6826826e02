"""The area levels and measures of the trends, shared by the computation and the models."""

from django.db import models


class Level(models.TextChoices):
    BUURT = "buurt", "Buurt"
    WIJK = "wijk", "Wijk"


class Measure(models.TextChoices):
    CONTACTS = "contacten", "Contacten per onderwerp"
    REGISTRATIONS = "inschrijvingen", "Inschrijvingen van ondernemingen"
    REPORTS = "meldingen", "Meldingen openbare ruimte"
    SIGNALS = "signalen", "Signalen"
