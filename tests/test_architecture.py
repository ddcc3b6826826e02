"""One gate: only connectors touch source registries, and only the gate calls connectors."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "klantocratie"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules() -> list[tuple[str, set[str]]]:
    return [(str(p.relative_to(PACKAGE.parent)), _imports(p)) for p in PACKAGE.rglob("*.py")]


def test_source_tables_are_reached_only_through_their_connector() -> None:
    # The demo generator fills the registries the way each organisation's own systems would.
    allowed = (
        "klantocratie/sources/",
        "klantocratie/demo/generator.py",
        "klantocratie/demo/signal_cases.py",
        "klantocratie/demo/contact_history.py",
        "klantocratie/demo/portal_accounts.py",
        "klantocratie/demo/partner_files.py",
    )
    offenders = [
        path
        for path, imports in _modules()
        if not path.startswith(allowed)
        and any(name.startswith("klantocratie.sources") for name in imports)
    ]
    assert offenders == []


def test_only_the_gate_and_connector_services_call_connectors() -> None:
    allowed = (
        "klantocratie/privacy/gate.py",
        "klantocratie/connectors/",
        "klantocratie/registry/packs.py",
    )
    offenders = [
        path
        for path, imports in _modules()
        if not path.startswith(allowed)
        and imports
        & {
            "klantocratie.connectors.base.connector_for",
            "klantocratie.connectors.base.connector_class",
        }
    ]
    assert offenders == []


def test_no_party_data_is_browsable_in_the_admin() -> None:
    # The admin is for configuration. Source registries and party identifiers hold
    # personal data, which is only read through the gate, with a log record.
    from django.contrib import admin

    personal = {
        "contacts.Contact",
        "contacts.Involvement",
        "contacts.SubjectObject",
        "contacts.Attachment",
        "contacts.InternalTask",
        "contacts.DigitalAddress",
        "cases.Case",
        "cases.CaseStatus",
        "cases.CaseResult",
        "cases.CaseRole",
        "cases.CaseDocument",
        "cases.CaseTask",
        "cases.CaseOffer",
        "cases.CaseEvent",
        "cases.DecisionEvaluation",
        "cases.SecondOpinion",
        "cases.ResidentNotice",
    }
    exposed = [
        model._meta.label
        for model in admin.site._registry
        if model.__module__.startswith(("klantocratie.sources.", "klantocratie.parties."))
        or model._meta.label in personal
    ]
    assert exposed == []


def test_no_signal_leads_to_a_sanction_or_a_decision() -> None:
    """Signals end in an offer or help: the signals code cannot decide a case, change a
    source or touch a benefit. (The demo loader registers permit applications, as a
    resident would; it is not part of any signal's path.)"""
    forbidden = (
        "klantocratie.cases",
        "klantocratie.privacy.gate.change",
        "klantocratie.connectors.services",
    )
    offenders = [
        (path, sorted(name for name in imports if name.startswith(forbidden)))
        for path, imports in _modules()
        if path.startswith("klantocratie/signals/")
        and path != "klantocratie/signals/demo.py"
        and any(name.startswith(forbidden) for name in imports)
    ]
    assert offenders == []
    calls = [
        path
        for path in (PACKAGE / "signals").rglob("*.py")
        if "gate.change(" in path.read_text(encoding="utf-8")
    ]
    assert calls == []
