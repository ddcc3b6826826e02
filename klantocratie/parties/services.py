"""Writes for parties: register a person or organisation with validated identifiers."""

from django.core.exceptions import ValidationError
from django.db import transaction

from klantocratie.registry.models import PartyType

from .models import (
    IDENTIFIER_PARTY_TYPES,
    IDENTIFIER_VALIDATORS,
    IdentifierType,
    Party,
    PartyIdentifier,
)


def validate_identifier(identifier_type: str, value: str) -> None:
    try:
        kind = IdentifierType(identifier_type)
    except ValueError:
        raise ValidationError(
            {"identifier_type": f"Onbekend soort identificatie: {identifier_type!r}."}
        ) from None
    try:
        IDENTIFIER_VALIDATORS[kind](value)
    except ValidationError as error:
        raise ValidationError({kind.value: error.messages}) from None


@transaction.atomic
def register_party(party_type: str, identifiers: dict[str, str]) -> Party:
    """Create a party with its identifiers, or return the existing one they identify.

    All identifiers are validated before anything is written; identifiers that belong to
    different existing parties are refused rather than silently merged.
    """
    if party_type not in PartyType.values:
        raise ValidationError({"party_type": f"Onbekend partijtype: {party_type!r}."})
    if not identifiers:
        raise ValidationError({"identifiers": "Geef minstens één identificatie."})
    errors: dict[str, list[str]] = {}
    for identifier_type, value in identifiers.items():
        try:
            validate_identifier(identifier_type, value)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            continue
        if IDENTIFIER_PARTY_TYPES[IdentifierType(identifier_type)] != party_type:
            errors.setdefault(identifier_type, []).append(
                f"Een {identifier_type} hoort niet bij een partij van type {party_type}."
            )
    if errors:
        raise ValidationError(errors)

    existing = {
        identifier.party_id
        for identifier in PartyIdentifier.objects.filter(
            identifier_type__in=identifiers.keys(), value__in=identifiers.values()
        )
        if identifiers.get(identifier.identifier_type) == identifier.value
    }
    if len(existing) > 1:
        raise ValidationError(
            {"identifiers": "Deze identificaties horen bij verschillende partijen."}
        )
    if existing:
        party = Party.objects.get(pk=existing.pop())
    else:
        party = Party.objects.create(party_type=party_type)
    for identifier_type, value in identifiers.items():
        PartyIdentifier.objects.get_or_create(
            identifier_type=identifier_type, value=value, defaults={"party": party}
        )
    return party
