"""Signal rules end to end on the benchmark database: extraction through the gate,
evaluation, recording, and the per-person run that an event triggers.

    export KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie_bench
    .venv/bin/python bench/signals_gate.py --setup --persons 1000000   # once: migrate, load the demo
    .venv/bin/python bench/signals_gate.py --people 200

`bench/signals.py` measures the rule engine alone on 20 million synthetic facts; this
one measures what a municipality's nightly run costs with the gate in the path: every
resident's facts streamed from the registries, pseudonymised, one hash-chained log
record per resident per activity, Parquet, DuckDB, and the signals written. Then the
incremental path: one person's facts extracted into memory and every rule evaluated,
as after a new event.
"""

import argparse
import random
import resource
import statistics
import sys
import time

from _setup import percentile, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=200, help="persons for the per-person run")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from klantocratie.parties.models import Party
    from klantocratie.privacy.models import ProcessingLogRecord
    from klantocratie.signals.models import Signal
    from klantocratie.signals.services import evaluate_party, run_rules

    if args.setup:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo", persons=args.persons)
        print(f"setup: {time.perf_counter() - started:,.0f} s")

    person_ids = list(Party.objects.filter(party_type="person").values_list("id", flat=True))
    if not person_ids:
        sys.exit("No persons loaded: run with --setup first.")
    print(f"database: {connection.vendor}, persons: {len(person_ids):,}")

    steps: list[tuple[str, float]] = []
    last = [time.perf_counter()]

    def progress(step: str, count: int) -> None:
        now = time.perf_counter()
        if not steps or steps[-1][0] != step:
            steps.append((step, 0.0))
        name, spent = steps[-1]
        steps[-1] = (name, spent + now - last[0])
        last[0] = now

    logged_before = ProcessingLogRecord.objects.count()
    started = time.perf_counter()
    last[0] = started
    run = run_rules(triggered_by="bench", progress=progress)
    elapsed = time.perf_counter() - started
    logged = ProcessingLogRecord.objects.count() - logged_before
    print(f"\nfull run: {elapsed:,.1f} s, {run.fired:,} firings, {run.created:,} new signals")
    for snapshot in run.snapshots.order_by("created_at"):
        print(
            f"  {snapshot.activity_id:32} {snapshot.subjects:>10,} residents "
            f"{snapshot.facts:>11,} facts {snapshot.excluded:>6,} excluded"
        )
    print(f"  processing-log records written: {logged:,}")
    extract = sum(spent for name, spent in steps if name.startswith("extract"))
    print(f"  time in extraction callbacks (streaming, logging excluded): {extract:,.1f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process: {peak_mb:,.0f} MB")

    rng = random.Random(args.seed)
    chosen = rng.sample(person_ids, min(args.people, len(person_ids)))
    parties = list(Party.objects.filter(pk__in=chosen).prefetch_related("identifiers"))
    evaluate_party(parties[0], triggered_by="bench warm-up")
    latencies = []
    for party in parties:
        began = time.perf_counter()
        evaluate_party(party, triggered_by="bench")
        latencies.append((time.perf_counter() - began) * 1000)
    latencies.sort()
    print(
        f"\nper-person run ({len(latencies)} persons, every rule, extraction through the gate): "
        f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"mean {statistics.mean(latencies):.0f} ms"
    )
    print(f"signals in the register: {Signal.objects.count():,}")


if __name__ == "__main__":
    main()
