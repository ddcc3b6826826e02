"""Client search at the desk: p95 per identifier type, through the gate.

    # a small embedded run (SQLite file of its own, a few minutes)
    KLANTOCRATIE_DATABASE_URL=sqlite:////tmp/desk-bench.sqlite3 \
        .venv/bin/python bench/desk_search.py --setup --persons 2000 --requests 200

    # the 1M-person benchmark database
    export KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie_bench
    .venv/bin/python bench/desk_search.py --requests 1000

Each request is what the desk does after the agent presses Enter: parse the search box,
then resolve the identifier through the party register (BSN, KvK), the contact registry
(contact number) or gate.find on the owning sources (name and birth date, postcode and
house number, phone, e-mail, case number) — grants, source lookups, a summary read and
one processing-log record per client found. HTTP and template rendering are left out.
The search texts are sampled from the demo registries, as a caller would quote them.
"""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from _setup import percentile, setup_django

CONTEXT = {
    "actor": "bench",
    "role": "kcc_agent",
    "organisation": "gemeente-almelo",
    "activity": "kcc-dienstverlening",
}


def _samples(rng: random.Random, count: int) -> dict[str, list[str]]:
    """Search texts per identifier type, as agents would type them."""
    from klantocratie.contacts.models import Contact
    from klantocratie.parties.models import PartyIdentifier
    from klantocratie.sources.casestatus.models import CaseStatus
    from klantocratie.sources.contactdetails.models import ContactDetails
    from klantocratie.sources.population.models import Person, Residence

    def pick(values: list[str]) -> list[str]:
        return [rng.choice(values) for _ in range(count)] if values else []

    # Sample from a bounded window of ids so a million-row table is not read whole.
    def window(queryset, *fields):  # type: ignore[no-untyped-def]
        return list(queryset.order_by("pk").values_list(*fields)[: count * 20])

    persons = window(
        Person.objects.exclude(birth_date="").filter(birth_date__regex=r"^\d{4}-\d{2}-\d{2}$"),
        "surname",
        "birth_date",
    )
    homes = window(
        Residence.objects.filter(valid_to__isnull=True).exclude(postcode=""),
        "postcode",
        "house_number",
        "house_letter",
        "house_number_addition",
    )
    details = window(ContactDetails.objects.all(), "phone", "email")
    return {
        "bsn": pick(
            [v for (v,) in window(PartyIdentifier.objects.filter(identifier_type="bsn"), "value")]
        ),
        "kvk": pick(
            [v for (v,) in window(PartyIdentifier.objects.filter(identifier_type="kvk"), "value")]
        ),
        "naam+geboortedatum": pick(
            [
                f"{surname} {b[8:]}-{b[5:7]}-{b[:4]}"
                for surname, b in persons
                # The BRP test set has some technical surnames with numbers; no caller has.
                if surname and not any(char.isdigit() for char in surname)
            ]
        ),
        "postcode+huisnummer": pick(
            [
                f"{pc[:4]} {pc[4:]} {number}{letter}{'-' + extra if extra else ''}"
                for pc, number, letter, extra in homes
                if number
            ]
        ),
        "telefoon": pick([phone for phone, _ in details if phone]),
        "e-mail": pick([email for _, email in details if email]),
        "zaaknummer": pick([n for (n,) in window(CaseStatus.objects.all(), "case_number")]),
        "contactnummer": pick(
            [n for (n,) in window(Contact.objects.filter(nummer__startswith="KC-"), "nummer")]
        ),
    }


def _timed(search: Callable[[str], int], texts: list[str]) -> tuple[list[float], int]:
    latencies, found = [], 0
    for text in texts:
        started = time.perf_counter()
        found += search(text)
        latencies.append((time.perf_counter() - started) * 1000)
    return sorted(latencies), found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=500, help="per identifier type")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from klantocratie.frontoffice.search import parse_query
    from klantocratie.frontoffice.selectors import search_clients
    from klantocratie.parties.models import Party
    from klantocratie.privacy.gate import AccessContext

    if args.setup:
        call_command("migrate", verbosity=0)
        call_command("load_demo", persons=args.persons)
    if not Party.objects.exists():
        sys.exit("No parties loaded: run with --setup first.")
    print(f"database: {connection.vendor}")
    ctx = AccessContext(**CONTEXT)

    def search(text: str) -> int:
        return len(search_clients(ctx, parse_query(text)).candidates)

    for kind, texts in _samples(random.Random(args.seed), args.requests).items():
        if not texts:
            print(f"{kind:<20} skipped: no such identifiers in this database")
            continue
        search(texts[0])  # warm caches and the connection before the clock starts
        latencies, found = _timed(search, texts)
        print(
            f"{kind:<20} requests={len(latencies)} found={found / len(latencies):.2f}/search "
            f"p50={percentile(latencies, 0.50):.1f}ms p95={percentile(latencies, 0.95):.1f}ms "
            f"p99={percentile(latencies, 0.99):.1f}ms mean={statistics.fmean(latencies):.1f}ms"
        )


if __name__ == "__main__":
    main()
