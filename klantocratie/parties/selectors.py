"""Reads for parties. Finding a party by identifier reveals no source data."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Authorisation, Party


def find_party(identifier_type: str, value: str) -> Party | None:
    return (
        Party.objects.filter(identifiers__identifier_type=identifier_type, identifiers__value=value)
        .prefetch_related("identifiers")
        .first()
    )


def get_party(party_uuid: str) -> Party | None:
    return Party.objects.filter(uuid=party_uuid).prefetch_related("identifiers").first()


def authorisations_in_force(on: date | None = None) -> QuerySet[Authorisation]:
    today = on or timezone.localdate()
    return Authorisation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        valid_from__lte=today,
        withdrawn_at__isnull=True,
    )


def represents(representative_id: int, represented_id: int, on: date | None = None) -> bool:
    """Whether an authorisation lets ``representative_id`` act for ``represented_id`` now."""
    return (
        authorisations_in_force(on)
        .filter(representative_id=representative_id, represented_id=represented_id)
        .exists()
    )


def represented_by(representative: Party, on: date | None = None) -> QuerySet[Authorisation]:
    """The authorisations in force that let ``representative`` act for someone else."""
    return (
        authorisations_in_force(on)
        .filter(representative=representative)
        .select_related("represented")
        .prefetch_related("represented__identifiers")
        .order_by("represented_id", "-valid_from")
    )
