"""Reads of the linkage register: which partner records belong to whom, and how surely.

Source connectors use these to include the records linked to a party in what they
return, each with its certainty, so nobody mistakes a probable link for a BSN match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from .models import IN_FORCE, Link, LinkageModel, LinkMethod, LinkStatus, PartnerRecord


@dataclass(frozen=True)
class Certainty:
    method: str
    status: str
    probability: float | None

    def label(self) -> str:
        """One line beside a linked record in a source's list: how it got there."""
        if self.method == LinkMethod.BSN:
            return "gekoppeld op het BSN van de partner"
        how = "na beoordeling" if self.status == LinkStatus.ACCEPTED else "automatisch"
        return f"zonder BSN aangeleverd; {how} gekoppeld, zekerheid {self.percentage()}"

    def percentage(self) -> str:
        """'96,2%': written the Dutch way, as sources' values are shown as they come."""
        return f"{(self.probability or 0) * 100:.1f}%".replace(".", ",")

    def describe(self) -> dict[str, Any]:
        """How a linked record is labelled wherever it is shown (in Dutch)."""
        if self.method == LinkMethod.BSN:
            how = "op BSN van de partner"
        elif self.status == LinkStatus.ACCEPTED:
            how = "na beoordeling door een medewerker"
        else:
            how = "automatisch, op naam, geboortedatum en adres"
        return {
            "gekoppeld": how,
            "zekerheid": None if self.method == LinkMethod.BSN else self.percentage(),
        }


def _in_force_for(connector_key: str) -> QuerySet[Link]:
    return Link.objects.filter(status__in=IN_FORCE, record__source__connector=connector_key)


def linked_records(connector_key: str, identifier_type: str, value: str) -> dict[str, Certainty]:
    """Reference -> certainty of the records of a source's partner files linked to a party."""
    links = _in_force_for(connector_key).filter(
        party__identifiers__identifier_type=identifier_type, party__identifiers__value=value
    )
    return {
        reference: Certainty(method, status, probability)
        for reference, method, status, probability in links.values_list(
            "record__reference", "method", "status", "match_probability"
        )
    }


def linked_keys(connector_key: str, identifier_type: str = "bsn") -> dict[str, str]:
    """Reference -> the linked party's identifier, for every link in force of a source:
    what analysis needs to attribute a partner record without a BSN to its person."""
    rows = _in_force_for(connector_key).filter(party__identifiers__identifier_type=identifier_type)
    return dict(rows.values_list("record__reference", "party__identifiers__value"))


def review_queue(*, source_code: str = "", order: str = "-match_probability") -> QuerySet[Link]:
    """Links waiting for a reviewer, most certain first by default."""
    links = Link.objects.filter(status=LinkStatus.REVIEW).select_related(
        "record__source__organisation", "model"
    )
    if source_code:
        links = links.filter(record__source__code=source_code)
    return links.order_by(order, "pk")


def links_in_force(*, source_code: str = "", reference: str = "") -> QuerySet[Link]:
    """Links that count now, newest first: where a reviewer finds one to undo."""
    links = Link.objects.filter(status__in=IN_FORCE).select_related("record__source")
    if source_code:
        links = links.filter(record__source__code=source_code)
    if reference:
        links = links.filter(record__reference=reference)
    return links.order_by("-created_at", "-pk")


def recent_decisions(limit: int = 20) -> QuerySet[Link]:
    return (
        Link.objects.exclude(decided_at=None)
        .select_related("record__source")
        .order_by("-decided_at", "-pk")[:limit]
    )


def current_model(source_id: int) -> LinkageModel | None:
    return LinkageModel.objects.filter(source_id=source_id).first()


def queue_counts() -> dict[str, int]:
    """Links waiting for review, per source code."""
    rows = (
        Link.objects.filter(status=LinkStatus.REVIEW)
        .values("record__source__code")
        .annotate(n=Count("pk"))
    )
    return {row["record__source__code"]: row["n"] for row in rows}


def unlinked_records(source_id: int) -> QuerySet[PartnerRecord]:
    """Records of a source without a link in force or waiting: what a run links."""
    return PartnerRecord.objects.filter(source_id=source_id).exclude(
        links__status__in=[*IN_FORCE, LinkStatus.REVIEW]
    )
