"""Reads for parties. Finding a party by identifier reveals no source data."""

from .models import Party


def find_party(identifier_type: str, value: str) -> Party | None:
    return (
        Party.objects.filter(identifiers__identifier_type=identifier_type, identifiers__value=value)
        .prefetch_related("identifiers")
        .first()
    )


def get_party(party_uuid: str) -> Party | None:
    return Party.objects.filter(uuid=party_uuid).prefetch_related("identifiers").first()
