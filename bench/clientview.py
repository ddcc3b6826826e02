"""Client view for a random person, through the gate, with its log writes.

    KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie_bench \
        .venv/bin/python bench/clientview.py --setup --persons 1000000   # once, ~10-15 min
    .venv/bin/python bench/clientview.py --requests 2000 --clients 1 8

Each request builds the full integral view as the demo KCC agent does: activity
resolution, grants, personal choices, every source's connector, one hash-chained log
record per activity and an audit entry. Requests run in threads, each with its own
database connection, in one process (the same code path as the web view, minus HTTP).
"""

import argparse
import random
import statistics
import sys
import threading
import time

from _setup import percentile, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--setup", action="store_true", help="migrate and load the demo with --persons"
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per concurrency level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    if args.setup:
        call_command("migrate", verbosity=0)
        call_command("load_demo", persons=args.persons)

    from klantocratie.clientview.selectors import build_client_view
    from klantocratie.parties.models import Party
    from klantocratie.privacy.gate import AccessContext

    ctx = AccessContext(
        actor="bench",
        role="kcc_agent",
        organisation="gemeente-almelo",
        activity="kcc-dienstverlening",
    )
    max_id = (
        Party.objects.filter(party_type="person")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if not max_id:
        sys.exit("No persons loaded: run with --setup first.")
    total = Party.objects.filter(party_type="person").count()
    print(f"database: {connection.vendor}, persons: {total:,}")
    rng = random.Random(args.seed)

    def pick() -> Party:
        while True:
            party = Party.objects.filter(pk=rng.randint(1, max_id), party_type="person").first()
            if party is not None:
                return party

    latency_lock = threading.Lock()
    build_client_view(ctx, pick())  # warm up connection and caches
    for clients in args.clients:
        parties = [pick() for _ in range(args.requests)]
        latencies: list[float] = []
        errors: list[str] = []

        def worker(
            chunk: list[Party], latencies: list[float] = latencies, errors: list[str] = errors
        ) -> None:
            from django.db import connections

            local: list[float] = []
            try:
                for party in chunk:
                    started = time.perf_counter()
                    view = build_client_view(ctx, party)
                    local.append((time.perf_counter() - started) * 1000)
                    if view.degraded:
                        errors.append("degraded")
            finally:
                connections.close_all()
            with latency_lock:
                latencies.extend(local)

        chunks = [parties[i::clients] for i in range(clients)]
        threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies.sort()
        print(
            f"clients={clients} requests={len(latencies)} "
            f"p50={percentile(latencies, 0.50):.1f}ms p95={percentile(latencies, 0.95):.1f}ms "
            f"p99={percentile(latencies, 0.99):.1f}ms mean={statistics.fmean(latencies):.1f}ms "
            f"throughput={len(latencies) / elapsed:.0f} req/s degraded={len(errors)}"
        )


if __name__ == "__main__":
    main()
