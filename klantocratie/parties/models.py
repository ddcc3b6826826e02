"""Parties (partijen): the persons and organisations the platform serves.

A party holds only identifiers. Everything else about it (name, address, income, …)
lives in its authoritative source and is read through the privacy gate.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from klantocratie.registry.models import PartyType

from . import validators


class IdentifierType(models.TextChoices):
    BSN = "bsn", "BSN"
    KVK = "kvk", "KvK-nummer"
    RSIN = "rsin", "RSIN"
    ESTABLISHMENT = "vestigingsnummer", "Vestigingsnummer"


IDENTIFIER_VALIDATORS = {
    IdentifierType.BSN: validators.validate_bsn,
    IdentifierType.KVK: validators.validate_kvk_number,
    IdentifierType.RSIN: validators.validate_rsin,
    IdentifierType.ESTABLISHMENT: validators.validate_establishment_number,
}

# Which identifier types identify which kind of party.
IDENTIFIER_PARTY_TYPES = {
    IdentifierType.BSN: PartyType.PERSON,
    IdentifierType.KVK: PartyType.ORGANISATION,
    IdentifierType.RSIN: PartyType.ORGANISATION,
    IdentifierType.ESTABLISHMENT: PartyType.ORGANISATION,
}


class Party(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party_type = models.CharField(max_length=16, choices=PartyType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.get_party_type_display()} {self.uuid}"

    def primary_identifier(self) -> "PartyIdentifier":
        """The identifier sources key their records on: BSN for persons, KvK otherwise."""
        preferred = (
            IdentifierType.BSN if self.party_type == PartyType.PERSON else IdentifierType.KVK
        )
        identifiers = list(self.identifiers.all())
        for identifier in identifiers:
            if identifier.identifier_type == preferred:
                return identifier
        return identifiers[0]


class PartyIdentifier(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="identifiers")
    identifier_type = models.CharField(max_length=32, choices=IdentifierType.choices)
    value = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_type", "value"], name="unique_party_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_identifier_type_display()} {self.value}"

    def clean(self) -> None:
        # Forms and imports that call full_clean() get the same checks as the services.
        validator = IDENTIFIER_VALIDATORS.get(self.identifier_type)  # type: ignore[call-overload]
        if validator is None:
            raise ValidationError({"identifier_type": "Onbekend soort identificatie."})
        try:
            validator(self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None


class AuthorisationKind(models.TextChoices):
    PARENTAL_AUTHORITY = "gezag", "Ouderlijk gezag"
    REPRESENTATIVE = (
        "vertegenwoordiging",
        "Wettelijke vertegenwoordiging (bewind, curatele, mentorschap)",
    )
    VOLUNTARY = "machtiging", "Machtiging door de persoon zelf"


class Authorisation(models.Model):
    """A recorded right of one party to act for another (a machtiging).

    The gate honours it: a resident may read and change another party's data only while
    an authorisation from that party to them is in force. Parental authority ends on the
    child's 18th birthday, which is recorded as ``valid_to`` when it is registered, so
    the check never needs the child's birth date from the population register.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    representative = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="authorisations_held"
    )
    represented = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="authorisations_given"
    )
    kind = models.CharField(max_length=24, choices=AuthorisationKind.choices)
    basis = models.CharField(
        max_length=200, help_text="What the authorisation rests on, e.g. a court decision."
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["representative", "represented"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(representative=models.F("represented")),
                name="authorisation_not_for_oneself",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.representative} voor {self.represented}"
