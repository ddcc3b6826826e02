"""Demo signals: the planted situations for each public rule, then one full run."""

from __future__ import annotations

from collections import Counter

from klantocratie.cases.services import Client, start_case
from klantocratie.demo.signal_cases import Planted, plant_signal_cases
from klantocratie.parties.selectors import find_party
from klantocratie.privacy import gate

from .models import Signal
from .services import run_rules

PERMIT_WORKER = gate.AccessContext(
    actor="demo-zaak",
    role="case_worker",
    organisation="gemeente-almelo",
    activity="zaakbehandeling",
)


def plant_demo_situations() -> Planted:
    """The registries' situations per rule, and the permit applications they include."""
    planted = plant_signal_cases()
    for bsn in planted.permit_applicants:
        party = find_party("bsn", bsn)
        if party is not None:
            start_case(
                PERMIT_WORKER,
                case_type="omgevingsvergunning-bouwen",
                clients=[Client(party)],
                description="Uitbouw aan de achterzijde van de woning",
                channel="webformulier",
            )
    return planted


def load_demo_signals() -> str:
    """Plant the situations and run the rules, once; describe what the demo holds."""
    if not Signal.objects.exists():
        plant_demo_situations()
        run_rules(triggered_by="load_demo")
    counts = Counter(Signal.objects.values_list("rule__code", flat=True))
    return f"{sum(counts.values())} signalen van {len(counts)} regels"
