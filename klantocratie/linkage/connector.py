"""Connector of the linkage register (`local.linkage`).

The register is a source like any other, so reading a person's links and deciding on
one go through the privacy gate: a reviewer's look at a candidate is logged as a read
of that person, and accepting, rejecting or undoing a link is a logged change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from klantocratie.connectors.base import (
    ChangeRejected,
    LocalRegistryConnector,
    PartyRef,
    register,
)

from .models import IN_FORCE, Link, LinkStatus
from .selectors import Certainty

ACCEPT, REJECT, UNDO = "accepteren", "afwijzen", "ongedaan-maken"


def _links_of(party: PartyRef, statuses: tuple[str, ...]) -> Any:
    return (
        Link.objects.filter(
            status__in=statuses,
            party__identifiers__identifier_type=party.identifier_type,
            party__identifiers__value=party.value,
        )
        .select_related("record__source__organisation", "model")
        .order_by("-created_at", "-pk")
    )


def read_links(party: PartyRef) -> list[dict[str, Any]]:
    return [
        {
            "koppeling": link.pk,
            "bron": link.record.source.name,
            "organisatie": link.record.source.organisation.name,
            "kenmerk": link.record.reference,
            "status": link.get_status_display(),
            **Certainty(link.method, link.status, link.match_probability).describe(),
            "sinds": (link.decided_at or link.created_at).date().isoformat(),
        }
        for link in _links_of(party, IN_FORCE)
    ]


def read_candidates(party: PartyRef) -> list[dict[str, Any]]:
    """What a reviewer compares: the record as the partner delivered it, and the
    comparison that made it a candidate."""
    candidates = []
    for link in _links_of(party, (LinkStatus.REVIEW,)):
        record = link.record
        name = " ".join(p for p in (record.given_names, record.surname_prefix, record.surname) if p)
        candidates.append(
            {
                "koppeling": link.pk,
                "bron": record.source.name,
                "organisatie": record.source.organisation.name,
                "kenmerk": record.reference,
                "naam": name,
                "geboortedatum": record.birth_date or None,
                "adres": {
                    "straat": record.street,
                    "huisnummer": record.house_number,
                    "toevoeging": record.house_number_addition,
                    "postcode": record.postcode,
                    "woonplaats": record.city,
                },
                "zekerheid": round((link.match_probability or 0) * 100, 1),
                "gewicht": round(link.match_weight or 0, 2),
                "dubbelzinnig": link.ambiguous,
                "vergelijking": link.levels,
                "model": link.model.version if link.model else None,
            }
        )
    return candidates


def _decide(party: PartyRef, value: Any, allowed: dict[str, tuple[str, ...]]) -> None:
    if not isinstance(value, dict) or value.get("besluit") not in allowed:
        raise ChangeRejected(f"Geef een besluit: {', '.join(allowed)}.")
    decision = value["besluit"]
    with transaction.atomic():
        link = (
            _links_of(party, allowed[decision])
            .select_for_update(of=("self",))
            .filter(pk=value.get("koppeling"))
            .first()
        )
        if link is None:
            raise ChangeRejected(
                "Deze koppeling bestaat niet (meer) in deze status bij deze persoon."
            )
        link.status = {
            ACCEPT: LinkStatus.ACCEPTED,
            REJECT: LinkStatus.REJECTED,
            UNDO: LinkStatus.UNDONE,
        }[decision]
        link.decided_by = str(value.get("door", ""))[:150]
        link.decided_at = timezone.now()
        link.decision_note = str(value.get("toelichting", ""))
        link.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def decide_candidate(party: PartyRef, value: Any) -> None:
    _decide(party, value, {ACCEPT: (LinkStatus.REVIEW,), REJECT: (LinkStatus.REVIEW,)})


def undo_link(party: PartyRef, value: Any) -> None:
    _decide(party, value, {UNDO: IN_FORCE})


@register("local.linkage")
class LinkageRegisterConnector(LocalRegistryConnector):
    health_model = Link
    readers = {"linkage.links": read_links, "linkage.candidates": read_candidates}
    writers = {"linkage.candidates": decide_candidate, "linkage.links": undo_link}
