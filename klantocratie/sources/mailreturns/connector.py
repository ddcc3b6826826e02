"""Connector of the returned-mail register: mail to a person that could not be delivered."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from klantocratie.connectors.base import (
    STREAM_CHUNK,
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.sources.common import iso, of_keys

from .models import ReturnedMail


def read_undeliverable(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        ReturnedMail.objects.filter(bsn=party.value)
        .order_by("-date", "-id")
        .values_list("date", "sender", "address")
    )
    return [
        {"datum": iso(day), "afzender": sender, "adres": address} for day, sender, address in rows
    ]


def returned_mail_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    rows = of_keys(ReturnedMail.objects.all(), keys)
    for pk, bsn, day, sender in rows.values_list("pk", "bsn", "date", "sender").iterator(
        chunk_size=STREAM_CHUNK
    ):
        yield Fact(PartyRef("bsn", bsn), "post.onbestelbaar", day, sender, reference=f"retour-{pk}")


@register("local.mailreturns")
class MailReturnsConnector(LocalRegistryConnector):
    health_model = ReturnedMail
    readers = {"mail.undeliverable": read_undeliverable}
    fact_readers = {"mail.undeliverable": returned_mail_facts}
