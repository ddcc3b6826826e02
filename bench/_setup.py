"""Shared start-up for the benchmarks: Django against the benchmark database."""

import os
import sys
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault(
        "KLANTOCRATIE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/klantocratie_bench"
    )
    os.environ.setdefault("KLANTOCRATIE_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantocratie.settings")
    import django

    django.setup()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]
