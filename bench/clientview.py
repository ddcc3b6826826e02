"""Client view for a random person, through the gate, with its log writes.

    export KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie_bench
    .venv/bin/python bench/clientview.py --setup --persons 1000000   # once: ~12 min to generate
    .venv/bin/python bench/clientview.py --requests 2000 --clients 1 8

Each request builds the full integral view as the demo KCC agent does: activity
resolution, grants, personal choices, every source's connector, one hash-chained log
record per activity and an audit entry — the web view's code path minus HTTP and
template rendering. Each concurrent client is its own process with its own database
connection, as WSGI worker processes would be (threads would measure the GIL instead).
"""

import argparse
import multiprocessing
import random
import statistics
import sys
import time

from _setup import percentile, setup_django

CONTEXT = {
    "actor": "bench",
    "role": "kcc_agent",
    "organisation": "gemeente-almelo",
    "activity": "kcc-dienstverlening",
}


def _run_client(party_ids: list[int], start_at: float) -> tuple[list[float], int]:
    setup_django()
    from klantocratie.clientview.selectors import build_client_view
    from klantocratie.parties.models import Party
    from klantocratie.privacy.gate import AccessContext

    ctx = AccessContext(**CONTEXT)
    parties = list(Party.objects.filter(pk__in=party_ids).prefetch_related("identifiers"))
    build_client_view(ctx, parties[0])  # open the connection before the clock starts
    while time.time() < start_at:
        time.sleep(0.001)
    latencies, degraded = [], 0
    for party in parties:
        started = time.perf_counter()
        view = build_client_view(ctx, party)
        latencies.append((time.perf_counter() - started) * 1000)
        degraded += view.degraded
    return latencies, degraded


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000, help="per concurrency level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from klantocratie.parties.models import Party

    if args.setup:
        call_command("migrate", verbosity=0)
        call_command("load_demo", persons=args.persons)

    person_ids = list(Party.objects.filter(party_type="person").values_list("id", flat=True))
    if not person_ids:
        sys.exit("No persons loaded: run with --setup first.")
    print(f"database: {connection.vendor}, persons: {len(person_ids):,}")
    connection.close()
    rng = random.Random(args.seed)
    spawn = multiprocessing.get_context("spawn")
    for clients in args.clients:
        chosen = rng.sample(person_ids, args.requests)
        shares = [chosen[i::clients] for i in range(clients)]
        start_at = time.time() + 3 + clients  # every client connected and warm
        with spawn.Pool(clients) as pool:
            results = pool.starmap(_run_client, [(share, start_at) for share in shares])
        elapsed = max(sum(lat) for lat, _ in results) / 1000
        latencies = sorted(value for lat, _ in results for value in lat)
        degraded = sum(d for _, d in results)
        print(
            f"clients={clients} requests={len(latencies)} "
            f"p50={percentile(latencies, 0.50):.1f}ms p95={percentile(latencies, 0.95):.1f}ms "
            f"p99={percentile(latencies, 0.99):.1f}ms mean={statistics.fmean(latencies):.1f}ms "
            f"throughput={len(latencies) / elapsed:.0f} req/s degraded={degraded}"
        )


if __name__ == "__main__":
    main()
