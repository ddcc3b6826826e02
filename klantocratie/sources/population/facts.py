"""Analytic facts of the population register: birth, where a person lives, and the
household events that signal rules ask about (a child born, the last child leaving
home, a partner's death).

They are derived from the register's own validity periods, so the same register
answers the same facts on every extraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from datetime import date
from itertools import islice
from typing import Any

from klantocratie.connectors.base import STREAM_CHUNK, Fact, PartyRef
from klantocratie.sources.common import of_keys

from .models import FamilyRelation, Person, RelationKind, Residence


def brp_date(text: str) -> date | None:
    """A BRP date with reduced precision ("1978-06", "1970") as its first possible day."""
    parts = text.split("-") if text else []
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return None
    if not numbers or len(numbers) > 3:
        return None
    year, month, day = [*numbers, 1, 1][:3]
    try:
        return date(year, month or 1, day or 1)
    except ValueError:
        return None


def birth_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    rows = of_keys(Person.objects.exclude(birth_date=""), keys)
    for bsn, born in rows.values_list("bsn", "birth_date").iterator(chunk_size=STREAM_CHUNK):
        at = brp_date(born)
        if at is not None:
            yield Fact(PartyRef("bsn", bsn), "persoon.geboren", at, reference=f"persoon-{bsn}")


def address_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Where a person lives now: the CBS buurt code of the current residence."""
    rows = of_keys(Residence.objects.filter(valid_to__isnull=True), keys)
    for pk, bsn, since, buurt in rows.values_list("pk", "bsn", "valid_from", "buurt_code").iterator(
        chunk_size=STREAM_CHUNK
    ):
        yield Fact(PartyRef("bsn", bsn), "persoon.woont", since, buurt, reference=f"verblijf-{pk}")


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def household_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Per child: born, living at home, or left home; per partner: deceased."""
    relations = of_keys(
        FamilyRelation.objects.filter(kind__in=[RelationKind.CHILD, RelationKind.PARTNER]), keys
    ).values_list("pk", "bsn", "related_bsn", "kind")
    for chunk in _chunks(relations.iterator(chunk_size=STREAM_CHUNK), STREAM_CHUNK):
        involved = {bsn for _pk, parent, related, _kind in chunk for bsn in (parent, related)}
        homes: dict[str, list[tuple[str | None, date | None, date | None]]] = defaultdict(list)
        for bsn, key, since, until in Residence.objects.filter(bsn__in=involved).values_list(
            "bsn", "address_key", "valid_from", "valid_to"
        ):
            homes[bsn].append((key, since, until))
        people = {
            bsn: (born, died)
            for bsn, born, died in Person.objects.filter(bsn__in=involved).values_list(
                "bsn", "birth_date", "death_date"
            )
        }
        for pk, bsn, related, kind in chunk:
            ref, reference = PartyRef("bsn", bsn), f"relatie-{pk}"
            born, died = people.get(related, ("", None))
            if kind == RelationKind.PARTNER:
                if died is not None:
                    yield Fact(ref, "huishouden.partner-overleden", died, reference=reference)
                continue
            birth = brp_date(born)
            if birth is not None:
                yield Fact(ref, "huishouden.kind-geboren", birth, reference=reference)
            yield from _child_at_home(ref, reference, homes[bsn], homes[related])


def _child_at_home(
    parent: PartyRef,
    reference: str,
    parent_homes: list[tuple[str | None, date | None, date | None]],
    child_homes: list[tuple[str | None, date | None, date | None]],
) -> Iterator[Fact]:
    current = {key for key, _since, until in parent_homes if until is None and key}
    shared = {key for key, _since, _until in parent_homes if key}
    for key, since, until in child_homes:
        if until is None and key in current:
            yield Fact(parent, "huishouden.kind-thuis", since, reference=reference)
            return
    left = [until for key, _since, until in child_homes if key in shared and until is not None]
    if left:
        yield Fact(parent, "huishouden.kind-vertrokken", max(left), reference=reference)
