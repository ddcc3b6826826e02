"""Rows of a partner's registry that belong to a party: by its BSN, or by a link.

Partners deliver some records without a BSN (a complaint, a report, an arrears file);
the linkage register says which person each is about and how surely. Readers show such
a row with that certainty beside it, and fact readers attribute it to the linked person,
so a probable link is never mistaken for a BSN match, and an undone link stops counting
at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from django.db.models import F, Q, QuerySet

from klantocratie.connectors.base import STREAM_CHUNK, PartyRef
from klantocratie.linkage.selectors import Certainty, linked_keys, linked_records

# How a registry's row is known in the linkage register: by default its `reference`;
# a registry whose references are unique per partner only combines them (arrears).
PARTNER_KEY: Any = F("reference")


class PartyRows:
    """A party's rows of one registry, with how each linked one got there.

    `rows` gets a `partner_key` annotation: read it next to `bsn` for `labelled`.
    """

    def __init__(
        self,
        rows: QuerySet[Any],
        connector_key: str,
        party: PartyRef,
        partner_key: Any = PARTNER_KEY,
    ) -> None:
        self.party = party
        self.linked: dict[str, Certainty] = linked_records(
            connector_key, party.identifier_type, party.value
        )
        match = Q(bsn=party.value)
        if self.linked:
            match |= Q(partner_key__in=list(self.linked))
        self.rows = rows.annotate(partner_key=partner_key).filter(match)

    def labelled(self, value: dict[str, Any], bsn: str, reference: str | None) -> dict[str, Any]:
        """The row's value, with how it was linked when it is not the party's own by BSN
        (so the key, and a column for it, appear only where a linked row is shown)."""
        if bsn == self.party.value or reference is None or reference not in self.linked:
            return value
        return {**value, "koppeling": self.linked[reference].label()}


def keyed_rows(
    rows: QuerySet[Any],
    connector_key: str,
    keys: Collection[str] | None,
    fields: Sequence[str],
    partner_key: Any = PARTNER_KEY,
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(party key, values of `fields`) of every row, or of the parties in `keys`.

    A link in force decides whom a row is about; otherwise its own BSN does. A row with
    neither is about no one known and is left out of analysis.
    """
    links = linked_keys(connector_key)
    wanted = set(keys) if keys is not None else set()
    rows = rows.annotate(partner_key=partner_key)
    if keys is not None:
        references = [reference for reference, key in links.items() if key in wanted]
        rows = rows.filter(Q(bsn__in=wanted) | Q(partner_key__in=references))
    values = rows.order_by("pk").values_list("bsn", "partner_key", *fields)
    for bsn, reference, *rest in values.iterator(chunk_size=STREAM_CHUNK):
        key = links.get(reference) if reference is not None else None
        key = key or bsn
        if not key or (keys is not None and key not in wanted):
            continue
        yield key, tuple(rest)
