from typing import Any

from celery import shared_task


@shared_task(name="klantocratie.signals.run_rules")
def run_rules_task() -> dict[str, Any]:
    """The nightly full run: every rule in force on fresh snapshots."""
    from .services import run_rules

    run = run_rules(triggered_by="nachtelijke run")
    return {"run": str(run.uuid), "fired": run.fired, "created": run.created}


@shared_task(name="klantocratie.signals.evaluate_party")
def evaluate_party_task(party_id: int, triggered_by: str) -> dict[str, Any]:
    """Re-evaluate one party after an event, off the request that caused it."""
    from klantocratie.parties.models import Party

    from .services import evaluate_party

    party = Party.objects.filter(pk=party_id).first()
    if party is None:
        return {"party": party_id, "created": 0}
    run = evaluate_party(party, triggered_by=triggered_by)
    return {"party": party_id, "created": run.created}


@shared_task(name="klantocratie.signals.purge_expired")
def purge_expired_task() -> dict[str, int]:
    from .services import purge_expired

    return purge_expired()
