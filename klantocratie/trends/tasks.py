from typing import Any

from celery import shared_task


@shared_task(name="klantocratie.trends.refresh")
def refresh_trends_task() -> dict[str, Any]:
    """The weekly refresh: a new snapshot through the gate, trends published, facts gone."""
    from .services import refresh_from_sources

    run = refresh_from_sources("wekelijkse verversing")
    return {"run": run.pk, "cells": run.cells.count()}
