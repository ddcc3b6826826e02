"""The integral client view: every permitted element from every source, with provenance.

Built on demand from the sources through the privacy gate; nothing is copied or kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.privacy.models import ProcessingActivity


@dataclass
class SourceSection:
    """The elements one source delivered, with the source's state during this read."""

    status: gate.SourceStatus
    values: list[gate.ElementValue] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


# Where a party's name is, per party type: the element and the key in its value.
NAME_ELEMENTS = (("person.name", "volledige_naam"), ("business.registration", "handelsnaam"))


def name_from(values: dict[str, gate.ElementValue]) -> str:
    """The name among values read through the gate (a person's or a business's)."""
    for code, key in NAME_ELEMENTS:
        element = values.get(code)
        if element is None or not element.value:
            continue
        value = element.value
        return str(value.get(key, "")) if isinstance(value, dict) else str(value)
    return ""


@dataclass
class ClientView:
    party: Party
    activity: ProcessingActivity
    sections: list[SourceSection]
    # Optional supplementary activities that did not apply, with the reason (e.g. no opt-in).
    withheld: list[str]
    trace_id: str

    @property
    def values(self) -> dict[str, gate.ElementValue]:
        return {v.code: v for s in self.sections for v in s.values}

    @property
    def display_name(self) -> str:
        """The client's name as the sources give it, for headings."""
        return name_from(self.values)

    @property
    def degraded(self) -> bool:
        return any(not s.status.available for s in self.sections)


def build_client_view(ctx: gate.AccessContext, party: Party) -> ClientView:
    """Read under the context's activity, plus supplementary activities the party allows.

    Each activity is a separate processing with its own log record: the log shows that
    the extra data was used under the person's own opt-in.
    """
    main = gate.read(ctx, party)
    results = [main]
    withheld: list[str] = []
    supplements = (
        ProcessingActivity.objects.filter(supplements=main.activity.code)
        .values_list("code", flat=True)
        .distinct()
    )
    for code in supplements:
        try:
            results.append(gate.read(replace(ctx, activity=code), party))
        except GateError as refusal:
            # A supplement that is refused, expired or not yet valid only withholds its
            # own extra data; the main view stands.
            withheld.append(refusal.message)

    sections: dict[str, SourceSection] = {}
    for result in results:
        for status in result.sources:
            section = sections.setdefault(status.code, SourceSection(status=status))
            if not status.available:
                section.status = status
                section.missing.extend(c for c in status.elements if c not in section.missing)
        for value in result.values.values():
            section = sections[value.source_code]
            if all(v.code != value.code for v in section.values):
                section.values.append(value)
    for section in sections.values():
        section.values.sort(key=lambda v: (v.display_order, v.code))
    # Sources in the catalogue's display order of their first element: identity first.
    ordered = sorted(
        sections.values(),
        key=lambda s: (s.values[0].display_order if s.values else 1000, s.status.name),
    )
    return ClientView(
        party=party,
        activity=main.activity,
        sections=ordered,
        withheld=withheld,
        trace_id=main.trace_id,
    )
