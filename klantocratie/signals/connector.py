"""Connector of the signal register: the signals about a person, for the client view.

It tells a colleague that a signal exists, which rule raised it and where its
follow-up stands; the facts behind it are read on the signal page, by its team.
"""

from __future__ import annotations

from typing import Any

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register

from .models import Signal

RECENT_SIGNALS = 20


def read_signals(party: PartyRef) -> list[dict[str, Any]]:
    signals = (
        Signal.objects.filter(
            party__identifiers__identifier_type=party.identifier_type,
            party__identifiers__value=party.value,
        )
        .select_related("rule", "team")
        .order_by("-created_at", "-id")[:RECENT_SIGNALS]
    )
    return [
        {
            "regel": signal.rule.name,
            "versie": signal.rule.version,
            "datum": signal.reference_date.isoformat(),
            "team": signal.team.name,
            "status": signal.get_status_display(),
            "aanbod": signal.get_offer_state_display() if signal.offer_state else None,
        }
        for signal in signals
    ]


@register("local.signals")
class SignalRegisterConnector(LocalRegistryConnector):
    health_model = Signal
    readers = {"signals.about": read_signals}
