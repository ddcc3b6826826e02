from typing import Any

from celery import shared_task


@shared_task(name="klantocratie.signals.run_rules")
def run_rules_task() -> dict[str, Any]:
    """The nightly full run: every rule in force on fresh snapshots."""
    from .services import run_rules

    run = run_rules(triggered_by="nachtelijke run")
    return {"run": str(run.uuid), "fired": run.fired, "created": run.created}


@shared_task(name="klantocratie.signals.purge_expired")
def purge_expired_task() -> dict[str, int]:
    from .services import purge_expired

    return purge_expired()
