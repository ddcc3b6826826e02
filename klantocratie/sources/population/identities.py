"""Every person's identity as the register knows it, streamed for record linkage.

Persons and residences are read in two passes ordered by BSN and merged, so a million
persons stream in bounded memory without a join per person. Earlier residences give the
postcodes a partner may still have on file after a move.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from klantocratie.connectors.base import STREAM_CHUNK, Identity, PartyRef

from .models import Person, Residence


def _residences_by_bsn() -> Iterator[tuple[str, list[tuple]]]:
    rows = (
        Residence.objects.order_by("bsn", "valid_to", "pk")
        .values_list(
            "bsn",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "city",
            "valid_to",
        )
        .iterator(chunk_size=STREAM_CHUNK)
    )
    for bsn, group in groupby(rows, key=lambda row: row[0]):
        yield bsn, list(group)


def read_identities() -> Iterator[Identity]:
    persons = (
        Person.objects.filter(death_date__isnull=True)
        .order_by("bsn")
        .values_list("bsn", "surname", "surname_prefix", "given_names", "birth_date")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    residences = _residences_by_bsn()
    pending = next(residences, None)
    for bsn, surname, prefix, given_names, birth_date in persons:
        while pending is not None and pending[0] < bsn:
            pending = next(residences, None)
        rows = pending[1] if pending is not None and pending[0] == bsn else []
        current = next((row for row in rows if row[7] is None), None)
        previous = tuple(dict.fromkeys(row[5] for row in rows if row[7] is not None and row[5]))
        street, number, letter, addition, postcode, city = (
            current[1:7] if current is not None else ("", None, "", "", "", "")
        )
        yield Identity(
            party=PartyRef("bsn", bsn),
            surname=surname,
            surname_prefix=prefix,
            given_names=given_names,
            birth_date=birth_date,
            street=street,
            house_number=number,
            # A house letter and an addition are both written after the number by
            # partners ("12a", "12-2"); linkage compares them as one addition.
            house_number_addition=f"{letter}{addition}",
            postcode=postcode,
            city=city,
            previous_postcodes=previous,
        )
