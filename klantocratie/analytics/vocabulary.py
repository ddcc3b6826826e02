"""The fact kinds of the analytic snapshot: what each means and which element it is of.

Rules name kinds; the rule loader checks that every kind a rule uses belongs to an
element the rule declares (and so is granted for the rule's activity).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

# The columns of every snapshot; docs/signals.md documents them and the fact kinds.
FACT_SCHEMA = pa.schema(
    [
        ("subject", pa.string()),
        ("kind", pa.string()),
        ("at", pa.date32()),
        ("category", pa.string()),
        ("amount", pa.float64()),
        ("organisation", pa.string()),
        ("source", pa.string()),
        ("element", pa.string()),
        ("reference", pa.string()),
    ]
)


@dataclass(frozen=True)
class FactKind:
    element: str
    meaning: str
    # What the category, date and amount columns hold for this kind.
    category: str = ""
    at: str = ""
    amount: str = ""


FACT_KINDS: dict[str, FactKind] = {
    "persoon.geboren": FactKind("person.birth", "Geboren", at="geboortedatum"),
    "persoon.woont": FactKind(
        "person.address", "Woont in een buurt", category="CBS-buurtcode", at="woont er sinds"
    ),
    "huishouden.kind-geboren": FactKind(
        "person.household", "Een kind geboren", at="geboortedatum van het kind"
    ),
    "huishouden.kind-thuis": FactKind(
        "person.household", "Een kind woont thuis", at="woont op het adres sinds"
    ),
    "huishouden.kind-vertrokken": FactKind(
        "person.household", "Een kind ging uit huis", at="datum van vertrek"
    ),
    "huishouden.partner-overleden": FactKind(
        "person.household", "De partner overleed", at="datum van overlijden"
    ),
    "onderneming.gestart": FactKind(
        "person.businesses",
        "Een onderneming ingeschreven",
        category="thuisgevestigd of bedrijfspand",
        at="inschrijfdatum",
    ),
    "belastingschuld": FactKind(
        "tax.arrears",
        "Een belastingaanslag in invordering",
        category="soort aanslag",
        at="uiterste betaaldatum",
        amount="openstaand bedrag",
    ),
    "uitkering.lopend": FactKind(
        "benefit.active", "Een lopende uitkering", category="regeling", at="ingangsdatum"
    ),
    "post.onbestelbaar": FactKind(
        "mail.undeliverable", "Post kwam onbestelbaar terug", category="afzender", at="datum"
    ),
    "klacht.verhuurder": FactKind(
        "tenancy.complaints", "Een klacht bij de verhuurder", category="soort klacht", at="datum"
    ),
    "huur.achterstand": FactKind(
        "tenancy.rent_arrears",
        "Huurachterstand bij de verhuurder",
        category="huur",
        at="achterstand sinds",
        amount="bedrag",
    ),
    "melding.politie": FactKind(
        "police.reports", "Een melding bij de politie", category="soort melding", at="datum"
    ),
    "melding.openbare-ruimte": FactKind(
        "case.files", "Een melding openbare ruimte", category="Signalen-categorie", at="datum"
    ),
    "zaak.aangevraagd": FactKind(
        "case.files", "Een zaak gestart", category="zaaktype", at="startdatum"
    ),
    "contact": FactKind("contact.history", "Een klantcontact", category="onderwerp", at="datum"),
    **{
        f"achterstand.{kind}": FactKind(
            "arrears.reports",
            f"Betalingsachterstand {label} gemeld (vroegsignalering)",
            category="soort",
            at="achterstand sinds",
            amount="bedrag",
        )
        for kind, label in (
            ("huur", "huur"),
            ("energie", "energie"),
            ("water", "drinkwater"),
            ("zorgverzekering", "zorgverzekering"),
        )
    },
}
