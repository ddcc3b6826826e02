"""The catalogue of unique sources: who holds which data element about a client.

Every data element has exactly one authoritative source. The database enforces it: an
element row points at one source (not null) and its code is unique, so a second source
for the same element cannot be stored.
"""

from django.core.validators import RegexValidator
from django.db import models

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$", "Use lower-case letters, digits, '-' and '_' only."
)
element_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
    "An element code is '<domain>.<name>' in lower case, e.g. 'person.address'.",
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", "Gemeente"
    TAX_OFFICE = "tax_office", "Belastingdienst"
    BENEFITS_AGENCY = "benefits_agency", "Uitkeringsinstantie"
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", "Kamer van Koophandel"
    HOUSING_CORPORATION = "housing_corporation", "Woningcorporatie"
    POLICE = "police", "Politie"
    WASTE_COLLECTION = "waste_collection", "Afvalinzameling"
    POST_RETURNS = "post_returns", "Retourpost"
    CARE_OFFICE = "care_office", "Zorgkantoor"
    CREDITOR = "creditor", "Schuldeiser"
    OTHER = "other", "Overig"


class PartyType(models.TextChoices):
    PERSON = "person", "Persoon"
    ORGANISATION = "organisation", "Organisatie"


class Organisation(models.Model):
    code = models.SlugField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    oin = models.CharField(
        "OIN", max_length=20, blank=True, help_text="Organisatie-identificatienummer."
    )
    phone = models.CharField(
        "telefoonnummer",
        max_length=20,
        blank=True,
        help_text="Het algemene nummer, voor inwoners zonder eigen contactpersoon.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """An organisation's registry, reached through a connector."""

    code = models.SlugField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sources")
    connector = models.CharField(
        max_length=64,
        help_text="Connector key, e.g. 'local.population' or 'haalcentraal.brp'.",
    )
    config = models.JSONField(default=dict, blank=True)
    timeout_seconds = models.FloatField(
        null=True, blank=True, help_text="Overrides the default source timeout."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    """One kind of fact about a client, held by exactly one authoritative source."""

    code = models.CharField(max_length=100, unique=True, validators=[element_code_validator])
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    party_type = models.CharField(max_length=16, choices=PartyType.choices)
    category = models.CharField(
        max_length=64,
        help_text="GDPR data category, e.g. 'identity', 'financial', 'housing'.",
    )
    special_category = models.BooleanField(
        default=False, help_text="Special or criminal-offence data (GDPR art. 9/10)."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="elements",
        help_text="The one authoritative source of this element.",
    )
    changeable = models.BooleanField(
        default=False, help_text="Whether the source accepts changes through the gate."
    )
    display_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.code
