"""Connector of the returned-mail register: mail to a person that could not be delivered."""

from __future__ import annotations

from typing import Any

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register
from klantocratie.sources.common import iso

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


@register("local.mailreturns")
class MailReturnsConnector(LocalRegistryConnector):
    health_model = ReturnedMail
    readers = {"mail.undeliverable": read_undeliverable}
