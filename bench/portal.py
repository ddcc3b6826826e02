"""The personal page, page by page, for the demo resident: response time and how many
processing-log records each page view writes (each read about her is logged).

    # on the Quick start database (scripts/demo.sh: 10,000 residents, SQLite)
    export KLANTOCRATIE_DATABASE_URL=sqlite:///$PWD/var/db.sqlite3
    .venv/bin/python bench/portal.py --rounds 30

Requests go through Django's test client (middleware, views, templates, the gate, the
log), without a web server in front. The first round warms caches and is not counted.
"""

import argparse
import statistics
import time

from _setup import percentile, setup_django

PAGES = [
    "/mijn/",
    "/mijn/gegevens/",
    "/mijn/zaken/",
    "/mijn/contacten/",
    "/mijn/signalen/",
    "/mijn/aanvragen/",
    "/mijn/privacy/",
    "/mijn/inzage/",
    "/mijn/feedback/",
    "/mijn/participatie/",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--user", default="demo-inwoner")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.test import Client

    from klantocratie.privacy.models import ProcessingLogRecord

    settings.DEMO_MODE = True
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    response = client.post(f"/mijn/inloggen/demo/{args.user}/")
    if response.status_code != 302:
        raise SystemExit(f"log-in as {args.user} failed: {response.status_code}")
    print(f"{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'log records/view':>17}")
    for url in PAGES:
        timings: list[float] = []
        records = ProcessingLogRecord.objects.count()
        for round_ in range(args.rounds + 1):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            if round_:
                timings.append(elapsed)
        per_view = (ProcessingLogRecord.objects.count() - records) / (args.rounds + 1)
        timings.sort()
        print(
            f"{url:24} {statistics.median(timings):8.1f} {percentile(timings, 0.95):8.1f}"
            f" {per_view:17.1f}"
        )


if __name__ == "__main__":
    main()
