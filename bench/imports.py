"""Partner-file import throughput: a million tenants' complaints into a fresh database.

    .venv/bin/python bench/imports.py                      # 1,000,000 rows, CSV, fresh SQLite
    .venv/bin/python bench/imports.py --rows 100000 --format jsonl
    .venv/bin/python bench/imports.py --database-url postgres://postgres@127.0.0.1:5432/klantocratie_bench

Generates a deterministic partner file (fixed seed) in a temporary directory: names,
birth dates, addresses in Almelo's postcode area, a BSN on a third of the rows, and one
bad row in a thousand (an impossible date). Then measures, through `import_file`:

1. the first import (every row checked, written in chunks to the complaints table and
   as a PartnerRecord, the bad rows to a rejects file);
2. the same file again (only its digest is read: nothing is written);
3. a re-delivery in which one row in ten changed (created / updated / unchanged).

Each phase prints rows/s and the process's peak resident memory so far. A database
given with --database-url is migrated and must not hold an earlier run: give a new one.
"""

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20260101
SOURCE = "huuradministratie-bench"
SURNAMES = ("Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Öztürk")
GIVEN = ("Anna", "J.P.", "Mohammed", "Sanne", "Piet", "Fatma", "Daan", "Eline", "Gül")
STREETS = ("Grotestraat", "Wierdensestraat", "Bornsestraat", "Ootmarsumsestraat", "Kerkplein")
CATEGORIES = ("onderhoud", "vocht en schimmel", "geluidsoverlast", "burenoverlast")
COLUMNS = (
    "kenmerk",
    "bsn",
    "achternaam",
    "voorvoegsel",
    "voornamen",
    "geboortedatum",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "datum",
    "categorie",
    "omschrijving",
    "status",
)


def bsn(rng: random.Random) -> str:
    """A random number that passes the 11-test."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(check)


def rows(count: int, *, changed_every: int = 0) -> Iterator[dict[str, str]]:
    rng = random.Random(SEED)
    for n in range(count):
        surname = rng.choice(SURNAMES)
        prefix, _, name = surname.rpartition(" ")
        row = {
            "kenmerk": f"KL-{n:08d}",
            "bsn": bsn(rng) if n % 3 == 0 else "",
            "achternaam": name,
            "voorvoegsel": prefix,
            "voornamen": rng.choice(GIVEN),
            "geboortedatum": f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-{rng.randint(1930, 2005)}",
            "straat": rng.choice(STREETS),
            "huisnummer": f"{rng.randint(1, 250)}{rng.choice(['', '', 'a', '-2'])}",
            "postcode": f"76{rng.randint(0, 9)}{rng.randint(0, 9)} {rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}",
            "woonplaats": "Almelo",
            "datum": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "categorie": rng.choice(CATEGORIES),
            "omschrijving": "Melding van de huurder over de woning.",
            "status": "open",
        }
        if n % 1000 == 999:
            row["datum"] = "31-02-2025"
        if changed_every and n % changed_every == 0:
            row["status"] = "afgehandeld"
        yield row


def write(path: Path, file_format: str, count: int, *, changed_every: int = 0) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        if file_format == "csv":
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(COLUMNS)
            for row in rows(count, changed_every=changed_every):
                writer.writerow(row.values())
        else:
            for row in rows(count, changed_every=changed_every):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--database-url", help="Database to use (default: a fresh SQLite file).")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="imports-bench-"))
    os.environ["KLANTOCRATIE_DATABASE_URL"] = (
        args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    )
    os.environ["KLANTOCRATIE_MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("KLANTOCRATIE_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantocratie.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from klantocratie.imports.services import import_file
    from klantocratie.registry.models import Organisation, Source

    call_command("migrate", verbosity=0)
    if Source.objects.filter(code=SOURCE).exists():
        sys.exit(f"The database holds an earlier run (source {SOURCE}): give an empty one.")
    owner = Organisation.objects.create(
        code="woonstichting-bench", name="Woonstichting", kind="housing_corporation"
    )
    source = Source.objects.create(
        code=SOURCE, name="Huuradministratie", organisation=owner, connector="local.housing"
    )

    first = workdir / f"klachten.{args.format}"
    started = time.perf_counter()
    write(first, args.format, args.rows)
    print(
        f"generated {args.rows:,} rows ({first.stat().st_size / 1e6:.0f} MB {args.format}) in "
        f"{time.perf_counter() - started:.1f} s; peak RSS after start-up {peak_rss_mb():.0f} MB; "
        f"{django.db.connection.vendor}"
    )
    print(
        f"{'phase':<28}{'seconds':>9}{'rows/s':>10}{'created':>10}{'updated':>10}"
        f"{'unchanged':>10}{'rejected':>9}{'peak MB':>9}"
    )

    def measure(phase: str, path: Path) -> None:
        started = time.perf_counter()
        batch = import_file(source, path, all_or_nothing=False, requested_by="bench")
        seconds = time.perf_counter() - started
        print(
            f"{phase:<28}{seconds:>9.1f}{args.rows / seconds:>10,.0f}{batch.created:>10,}"
            f"{batch.updated:>10,}{batch.unchanged:>10,}{batch.rejected:>9,}{peak_rss_mb():>9.0f}"
        )

    measure("first import", first)
    measure("same file again", first)
    changed = workdir / f"klachten-2.{args.format}"
    write(changed, args.format, args.rows, changed_every=10)
    measure("re-delivery, 10% changed", changed)


if __name__ == "__main__":
    main()
