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
