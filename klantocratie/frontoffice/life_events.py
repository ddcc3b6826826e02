"""Likely life events of a client, derived from what the sources said in the client view.

Each event carries its reason in plain Dutch, so the agent sees why the desk suggests
it and can judge it; nothing is stored. Slugs are the knowledge base's life-event keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from klantocratie.privacy.gate import ElementValue

# A move, a new business or a benefit start counts as "recent" within this window.
RECENT = timedelta(days=365)
# From this age the state pension (AOW) and retirement come within a year.
RETIREMENT_AGE = 66


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    name: str
    reason: str


LIFE_EVENT_NAMES = {
    "verhuizen": "Verhuizen",
    "geboorte": "Geboorte van een kind",
    "gezinssituatie-verandert": "Veranderde gezinssituatie",
    "starten-bedrijf": "Een bedrijf starten",
    "werkloos-worden": "Werkloos worden",
    "met-pensioen": "Met pensioen gaan",
    "geldzorgen": "Geldzorgen en schulden",
}


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _field(values: dict[str, ElementValue], code: str, key: str) -> Any:
    element = values.get(code)
    if element is None or not isinstance(element.value, dict):
        return None
    return element.value.get(key)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _event(slug: str, reason: str) -> LifeEvent:
    return LifeEvent(slug, LIFE_EVENT_NAMES[slug], reason)


def derive_life_events(values: dict[str, ElementValue], today: date) -> list[LifeEvent]:
    """The life events the client's data points at, most pressing first."""
    events: list[LifeEvent] = []
    moved = _date(_field(values, "person.address", "sinds"))
    if moved is not None and today - moved <= RECENT:
        events.append(_event("verhuizen", f"Woont sinds {moved:%d-%m-%Y} op het huidige adres."))

    members = _field(values, "person.household", "leden") or []
    newborn = [m for m in members if (m.get("geboortejaar") or 0) >= today.year - 1]
    if newborn:
        events.append(
            _event("geboorte", f"Kind geboren in {newborn[-1]['geboortejaar']} in het huishouden.")
        )
    changed = _date(_field(values, "person.household", "sinds"))
    if changed is not None and today - changed <= RECENT and not newborn and changed != moved:
        size = _field(values, "person.household", "aantal_personen")
        events.append(
            _event(
                "gezinssituatie-verandert",
                f"Het huishouden is op {changed:%d-%m-%Y} veranderd; nu {size} "
                f"{'persoon' if size == 1 else 'personen'}.",
            )
        )

    benefits = values.get("benefit.active")
    for benefit in benefits.value if benefits and isinstance(benefits.value, list) else []:
        since = _date(benefit.get("sinds"))
        if benefit.get("regeling") == "WW" and since is not None and today - since <= RECENT:
            events.append(_event("werkloos-worden", f"WW-uitkering sinds {since:%d-%m-%Y}."))

    businesses = values.get("person.businesses")
    if businesses and isinstance(businesses.value, list) and businesses.value:
        names = ", ".join(b.get("handelsnaam", "") for b in businesses.value)
        events.append(_event("starten-bedrijf", f"Ingeschreven in het Handelsregister: {names}."))

    birth = _date(_field(values, "person.birth", "geboortedatum"))
    if birth is not None and _age(birth, today) >= RETIREMENT_AGE:
        events.append(_event("met-pensioen", f"Is {_age(birth, today)} jaar oud."))

    arrears = [
        values[code].label
        for code in ("tax.arrears", "tenancy.rent_arrears")
        if code in values and values[code].value
    ]
    if arrears:
        events.append(_event("geldzorgen", f"Betalingsachterstand: {', '.join(arrears).lower()}."))
    return events
