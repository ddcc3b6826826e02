"""Writes for parties: register a person or organisation with validated identifiers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klantocratie.registry.models import PartyType

from .models import (
    IDENTIFIER_PARTY_TYPES,
    IDENTIFIER_VALIDATORS,
    Authorisation,
    AuthorisationKind,
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


def record_authorisation(
    *,
    representative: Party,
    represented: Party,
    kind: str,
    basis: str,
    valid_from: date,
    valid_to: date | None,
    recorded_by: str,
) -> Authorisation:
    """Record that ``representative`` may act for ``represented`` (a machtiging)."""
    errors: dict[str, list[str]] = {}
    if kind not in AuthorisationKind.values:
        errors["kind"] = [f"Onbekend soort machtiging: {kind!r}."]
    if representative.pk == represented.pk:
        errors["representative"] = ["Iemand kan zichzelf niet machtigen."]
    if not basis.strip():
        errors["basis"] = ["Geef aan waarop de machtiging berust."]
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = ["De einddatum ligt voor de begindatum."]
    if errors:
        raise ValidationError(errors)
    return Authorisation.objects.create(
        representative=representative,
        represented=represented,
        kind=kind,
        basis=basis.strip()[:200],
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_at=timezone.now(),
        recorded_by=recorded_by,
    )


def withdraw_authorisation(authorisation: Authorisation, *, by: Party) -> Authorisation:
    """End a voluntary machtiging; only the person who gave it, or holds it, may do so.

    Parental authority and court-appointed representation end by law, not by a click.
    """
    if authorisation.kind != AuthorisationKind.VOLUNTARY:
        raise ValidationError(
            {"kind": "Alleen een machtiging die u zelf gaf of kreeg, kunt u hier intrekken."}
        )
    if by.pk not in (authorisation.represented_id, authorisation.representative_id):
        raise ValidationError({"authorisation": "Deze machtiging is niet van u."})
    if authorisation.withdrawn_at is None:
        authorisation.withdrawn_at = timezone.now()
        authorisation.save(update_fields=["withdrawn_at"])
    return authorisation
