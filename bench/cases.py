"""The case system at scale on PostgreSQL: a person's cases among 1,000,000, decision-table
evaluations, and status changes with their events.

    .venv/bin/python bench/cases.py                  # setup, fill, measure, drop: ~8 min
    .venv/bin/python bench/cases.py --keep           # keep the database for another run
    .venv/bin/python bench/cases.py --cases 1000000 --lookups 1000 \
        --evaluations 20000 --service-evaluations 500 --changes 500

The benchmark makes a database of its own, klantocratie_bench_cases (--database) on
--server (default postgres://postgres@127.0.0.1:5432), and drops it at the end unless
--keep. It ignores KLANTOCRATIE_DATABASE_URL, and only drops databases whose name starts
with klantocratie_bench_cases, so it can never fill or drop another database. Setup:
migrate, the demo pack, --persons generated residents, the demo accounts, the pack's case
types and the demo cases.

a) The fill writes --cases cases, each with its initiator role (BSN and party) and its
   current status, with COPY in batches of --batch (not through the services): persons
   get 1 to 5 cases each, over six case types and three years, older cases closed with a
   result. Then
   ANALYZE. Measured: selectors.cases_for_identifier("bsn", ...) materialised with list()
   for --lookups random persons; and, when the Zaken API is installed, GET
   /api/zaken/v1/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=... as
   the demo case worker through Django's test client (gate check and processing log in).
b) decisions.evaluate on the welstandsroute table, --evaluations times with varying
   inputs; services.evaluate_decision_table (facts stored, gate, processing log, history)
   on --service-evaluations building permits, one each.
c) services.set_status on --changes Wmo requests each (gemeld -> onderzoek): checks,
   gate, processing log, history and outbox event, every change in its own transaction.
   Once with delivery held back and the held-back events then delivered by one
   publish_pending(); once with delivery after each commit, as in production: the
   resident's notice, their e-mail address looked up through the gate, a mail (kept in
   memory) and the regional case-status index.
"""

import argparse
import os
import platform
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from _setup import percentile, setup_django

T = TypeVar("T")
R = TypeVar("R")

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE_PREFIX = "klantocratie_bench_cases"
# Filled persons get BSNs from a range of their own, far from the generator's 9000….
FILL_BSN_BASE = 60_000_000
FILL_ACTOR = "bench-fill"
PERMIT = "omgevingsvergunning-bouwen"
WMO = "wmo-ondersteuning"
# Share of each case type in the fill: many reports and fines, fewer permits and benefits.
FILL_MIX = {
    "melding-openbare-ruimte": 30,
    "naheffing-parkeerbelasting": 25,
    "parkeervergunning": 20,
    "wmo-ondersteuning": 10,
    "omgevingsvergunning-bouwen": 8,
    "bijstand-levensonderhoud": 7,
}
CASE_COLUMNS = (
    "id, uuid, identification, organisation_id, case_type_version_id, description, "
    "explanation, registered_on, start_date, planned_end, deadline, end_date, channel, "
    "confidentiality, current_status_id, suspension_reason, extended_days, extension_reason, "
    "properties, created_by, created_at"
)
STATUS_COLUMNS = "id, uuid, case_id, status_type_id, set_at, explanation, set_by"
RESULT_COLUMNS = "id, uuid, case_id, result_type_id, explanation, set_at, set_by"
ROLE_COLUMNS = (
    "id, uuid, case_id, role_type_id, subject_kind, party_id, identifier_type, identifier, "
    "explanation, registered_at"
)


def _admin(server: str, statement: str) -> bool:
    """Run one statement on the server's maintenance database; True if it returned a row."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.description is not None and cursor.fetchone() is not None


def _machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GB, {platform.python_implementation()} "
        f"{platform.python_version()}, PostgreSQL {server} (shared_buffers {buffers})"
    )


def _report(label: str, latencies_ms: Sequence[float], unit: str = "ms") -> None:
    values = sorted(latencies_ms)
    scale = 1000.0 if unit == "µs" else 1.0
    total_s = sum(values) / 1000
    print(
        f"{label}: n={len(values)} p50={percentile(values, 0.50) * scale:.2f}{unit} "
        f"p95={percentile(values, 0.95) * scale:.2f}{unit} "
        f"p99={percentile(values, 0.99) * scale:.2f}{unit} "
        f"rate={len(values) / total_s:,.0f}/s load={os.getloadavg()[0]:.1f}"
    )


def _timed(call: Callable[[T], R], items: Iterable[T]) -> tuple[list[float], list[R]]:
    """Call once per item; the wall-clock milliseconds of each call, and what it returned."""
    latencies, results = [], []
    for item in items:
        started = time.perf_counter()
        results.append(call(item))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, results


# --- setup and fill ------------------------------------------------------------------------


def _setup(persons: int) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from klantocratie.cases.demo import load_demo_cases
    from klantocratie.cases.packs import load_case_types
    from klantocratie.demo.accounts import create_demo_accounts
    from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
    from klantocratie.registry.packs import load_pack
    from klantocratie.sources.population.models import Person

    pack = Path(settings.DEMO_PACK_DIR)
    call_command("migrate", verbosity=0)
    load_pack(pack)
    if not Person.objects.exists():
        generate_municipality(persons=persons)
    create_demo_accounts(pack, DEMO_RESIDENT_BSN)
    load_case_types(pack / "cases")
    print(f"demo cases: {load_demo_cases(pack)}")


def _next_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
    return int(cursor.fetchone()[0])


def _reset_sequences(cursor: Any, tables: Iterable[str]) -> None:
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
        )


def _case_types() -> list[dict[str, Any]]:
    from klantocratie.cases import services

    today = date.today()
    kinds = []
    for identification, weight in FILL_MIX.items():
        version = services.version_in_force(identification, today)
        kinds.append(
            {
                "weight": weight,
                "version": version.pk,
                "organisation": version.case_type.organisation_id,
                "description": version.description,
                "days": version.processing_days,
                "norm": version.service_norm_days or version.processing_days,
                "confidentiality": version.confidentiality,
                "statuses": list(
                    version.status_types.order_by("order").values_list("pk", flat=True)
                ),
                "initiator": version.role_types.get(generic="initiator").pk,
                "results": list(version.result_types.values_list("pk", flat=True)),
            }
        )
    return kinds


def _fill(target: int, batch: int, seed: int) -> None:
    from django.db import connection, transaction
    from tqdm import tqdm

    from klantocratie.cases.models import Case
    from klantocratie.contacts.models import NumberSeries
    from klantocratie.demo.generator import eleven_test_sequence

    if Case.objects.filter(created_by=FILL_ACTOR).exists():
        print(f"fill: present ({Case.objects.count():,} cases)")
        return
    rng = random.Random(seed)
    started = time.perf_counter()
    per_person: list[int] = []
    total = 0
    while total < target:
        per_person.append(min(rng.randint(1, 5), target - total))
        total += per_person[-1]
    owners = [person for person, count in enumerate(per_person) for _ in range(count)]
    rng.shuffle(owners)
    bsns = list(islice(eleven_test_sequence(FILL_BSN_BASE), len(per_person)))
    kinds = _case_types()
    weights = [kind["weight"] for kind in kinds]
    today = date.today()
    series = Counter(
        {tuple(s.key.split("-")): s.last for s in NumberSeries.objects.filter(key__startswith="Z")}
    )

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        party_base = _next_id(cursor, "parties_party")
        identifier_base = _next_id(cursor, "parties_partyidentifier")
        case_base = _next_id(cursor, "cases_case")
        status_base = _next_id(cursor, "cases_casestatus")
        role_base = _next_id(cursor, "cases_caserole")
        result_base = _next_id(cursor, "cases_caseresult")
        now = datetime.now(UTC)
        with transaction.atomic():
            with cursor.copy(
                "COPY parties_party (id, uuid, party_type, created_at) FROM STDIN"
            ) as copy:
                for person in range(len(per_person)):
                    copy.write_row((party_base + person, uid(), "person", now))
            with cursor.copy(
                "COPY parties_partyidentifier (id, party_id, identifier_type, value) FROM STDIN"
            ) as copy:
                for person, bsn in enumerate(bsns):
                    copy.write_row((identifier_base + person, party_base + person, "bsn", bsn))
        print(f"fill: {len(per_person):,} persons with 1-5 cases each")
        with tqdm(total=target, unit="cases") as bar:
            for first in range(0, target, batch):
                chosen = rng.choices(kinds, weights, k=min(batch, target - first))
                cases, statuses, roles, results = [], [], [], []
                for offset, kind in enumerate(chosen):
                    number = first + offset
                    start = today - timedelta(days=rng.randrange(0, 3 * 365))
                    age = (today - start).days
                    closed = age > 2 * kind["days"] and rng.random() < 0.97
                    final = len(kind["statuses"]) - 1
                    step = final if closed else rng.randrange(0, final)
                    end = (
                        min(today, start + timedelta(days=rng.randint(1, kind["days"])))
                        if closed
                        else None
                    )
                    key = ("Z" + f"{kind['organisation']:03d}", str(start.year))
                    series[key] += 1
                    identification = (
                        f"ZAAK-{start.year}-{kind['organisation']:03d}-{series[key]:07d}"
                    )
                    at = datetime(start.year, start.month, start.day, 9, tzinfo=UTC)
                    case_id, status_id = case_base + number, status_base + number
                    cases.append(
                        (
                            case_id,
                            uid(),
                            identification,
                            kind["organisation"],
                            kind["version"],
                            kind["description"],
                            "",
                            start,
                            start,
                            start + timedelta(days=kind["norm"]),
                            start + timedelta(days=kind["days"]),
                            end,
                            "webformulier",
                            kind["confidentiality"],
                            status_id,
                            "",
                            0,
                            "",
                            "{}",
                            FILL_ACTOR,
                            at,
                        )
                    )
                    set_at = datetime(end.year, end.month, end.day, 15, tzinfo=UTC) if end else at
                    statuses.append(
                        (status_id, uid(), case_id, kind["statuses"][step], set_at, "", FILL_ACTOR)
                    )
                    if end:
                        results.append(
                            (
                                result_base + number,
                                uid(),
                                case_id,
                                rng.choice(kind["results"]),
                                "",
                                set_at,
                                FILL_ACTOR,
                            )
                        )
                    person = owners[number]
                    roles.append(
                        (
                            role_base + number,
                            uid(),
                            case_id,
                            kind["initiator"],
                            "natuurlijk_persoon",
                            party_base + person,
                            "bsn",
                            bsns[person],
                            "",
                            at,
                        )
                    )
                # Case and status point at each other; the foreign keys are checked at commit.
                with transaction.atomic():
                    for table, columns, rows in (
                        ("cases_case", CASE_COLUMNS, cases),
                        ("cases_casestatus", STATUS_COLUMNS, statuses),
                        ("cases_caserole", ROLE_COLUMNS, roles),
                        ("cases_caseresult", RESULT_COLUMNS, results),
                    ):
                        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                bar.update(len(chosen))
        _reset_sequences(
            cursor,
            (
                "parties_party",
                "parties_partyidentifier",
                "cases_case",
                "cases_casestatus",
                "cases_caserole",
                "cases_caseresult",
            ),
        )
        for (prefix, year), last in series.items():
            NumberSeries.objects.update_or_create(key=f"{prefix}-{year}", defaults={"last": last})
        filled = time.perf_counter() - started
        cursor.execute("ANALYZE")
        print(
            f"fill: {target:,} cases with roles and statuses in {filled:.0f} s "
            f"({target / filled:,.0f} cases/s), ANALYZE {time.perf_counter() - started - filled:.0f} s"
        )


# --- measurements ----------------------------------------------------------------------------


def _lookups(count: int, seed: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import Resolver404, resolve

    from klantocratie.cases import selectors
    from klantocratie.cases.models import CaseRole

    rng = random.Random(seed)
    roles = CaseRole.objects.filter(identifier_type="bsn")
    top = roles.order_by("-id").values_list("id", flat=True).first() or 0
    bsns: list[str] = []
    while len(bsns) < count:
        # A random role's person: sampled by id, so the million-row table is never read whole.
        row = roles.filter(id__gte=rng.randint(1, top)).order_by("id").values("identifier")[:1]
        bsns.extend(r["identifier"] for r in row)

    def cases_of(bsn: str) -> int:
        return len(list(selectors.cases_for_identifier("bsn", bsn)))

    _timed(cases_of, bsns[:20])
    latencies, found = _timed(cases_of, bsns)
    _report("a) cases_for_identifier('bsn', …), list()", latencies)
    print(f"   cases per person found: mean {sum(found) / len(found):.2f}, max {max(found)}")

    url = "/api/zaken/v1/zaken"
    try:
        resolve(url)
    except Resolver404:
        print(f"a) {url}: not installed, skipped")
        return
    client = Client()
    client.force_login(User.objects.get(username="demo-zaak"))
    query = f"{url}?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn="

    def get(bsn: str) -> int:
        return int(client.get(query + bsn).status_code)

    _timed(get, bsns[:20])
    latencies, codes = _timed(get, bsns)
    statuses = Counter(codes)
    _report(f"a) GET {url}?rol__…__inpBsn=… as demo-zaak", latencies)
    print(f"   responses: {dict(statuses)}")


def _worker() -> Any:
    from klantocratie.privacy.gate import AccessContext

    return AccessContext(
        actor="demo-zaak",
        role="case_worker",
        organisation="gemeente-almelo",
        activity="zaakbehandeling",
    )


def _clients(count: int, rng: random.Random) -> list[Any]:
    """Generated demo residents (they have sources behind them, unlike filled persons)."""
    from klantocratie.demo.generator import BSN_BASE
    from klantocratie.parties.models import Party

    prefix = str(BSN_BASE)[:4]
    persons = list(
        Party.objects.filter(
            identifiers__identifier_type="bsn", identifiers__value__startswith=prefix
        ).prefetch_related("identifiers")
    )
    return [rng.choice(persons) for _ in range(count)]


def _start(case_type: str, clients: Sequence[Any], **properties: Any) -> list[Any]:
    from klantocratie.cases import services

    def start(party: Any) -> Any:
        return services.start_case(
            _worker(),
            case_type=case_type,
            clients=[services.Client(party)],
            description="Benchmark",
            properties=properties,
        )

    latencies, cases = _timed(start, clients)
    _report(f"   services.start_case({case_type}) incl. delivery", latencies)
    return cases


def _decisions(evaluations: int, on_services: int, seed: int) -> None:
    from klantocratie.cases import decisions, services
    from klantocratie.cases.models import CaseTask

    rng = random.Random(seed)

    def facts() -> dict[str, Any]:
        return {
            "gebied": rng.choice(["regulier", "beschermd gezicht", "welstandsvrij"]),
            "monument": rng.random() < 0.2,
            "bouwhoogte": round(rng.uniform(2, 16), 1),
        }

    version = services.version_in_force(PERMIT, date.today())
    content = version.decision_tables.get(code="welstandsroute").content
    inputs = [facts() for _ in range(evaluations)]
    decisions.evaluate(content, inputs[0])
    latencies, advice = _timed(partial(decisions.evaluate, content), inputs)
    routes = Counter(a.outcome["route"] for a in advice)
    _report("b) decisions.evaluate(welstandsroute)", latencies, "µs")
    print(f"   routes: {dict(routes)}")

    cases = _start(PERMIT, _clients(on_services, rng))
    tasks = [
        CaseTask.objects.select_related("case__case_type_version", "task_type__decision_table").get(
            case=case, task_type__code="welstandsadvies"
        )
        for case in cases
    ]

    def evaluate(task: Any) -> Any:
        return services.evaluate_decision_table(_worker(), task, facts())

    latencies, _ = _timed(evaluate, tasks)
    _report("b) services.evaluate_decision_table(welstandsadvies)", latencies)


def _status_changes(changes: int, seed: int) -> None:
    from klantocratie.cases import services
    from klantocratie.cases.models import ResidentNotice
    from klantocratie.events import services as event_services
    from klantocratie.events.dispatch import publish_pending
    from klantocratie.events.models import Event
    from klantocratie.sources.casestatus.models import CaseStatus

    rng = random.Random(seed)
    held_back, delivered = (
        _start(WMO, _clients(changes, rng)),
        _start(WMO, _clients(changes, rng)),
    )
    publish_pending()

    def move(case: Any) -> Any:
        return services.set_status(_worker(), case, "onderzoek")

    def hold() -> None:
        """Stands in for the after-commit scheduling, so events stay in the outbox."""

    schedule = event_services.publish_after_commit
    event_services.publish_after_commit = hold
    try:
        latencies, _ = _timed(move, held_back)
    finally:
        event_services.publish_after_commit = schedule
    _report("c) set_status, delivery held back", latencies)
    pending = Event.objects.filter(published_at__isnull=True).count()
    started = time.perf_counter()
    published = publish_pending()
    spent = time.perf_counter() - started
    print(
        f"c) publish_pending() of the held-back events: {published} of {pending} in "
        f"{spent:.2f} s ({published / spent:,.0f} events/s)"
    )

    latencies, _ = _timed(move, delivered)
    _report("c) set_status with delivery after each commit", latencies)
    moved = [c.identification for c in held_back + delivered]
    indexed = CaseStatus.objects.filter(case_number__in=moved, status="Onderzoek").count()
    notices = ResidentNotice.objects.filter(
        case__in=held_back + delivered, text__contains="afspraak", channel="portal"
    ).count()
    print(f"   index rows at 'Onderzoek': {indexed} of {len(moved)}; portal notices: {notices}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--database", default=DATABASE_PREFIX)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--persons", type=int, default=1000, help="generated demo residents")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--evaluations", type=int, default=20_000)
    parser.add_argument("--service-evaluations", type=int, default=500)
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not args.database.startswith(DATABASE_PREFIX):
        sys.exit(f"--database must start with {DATABASE_PREFIX}: this benchmark drops it.")

    if not _admin(args.server, f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'"):
        _admin(args.server, f'CREATE DATABASE "{args.database}"')
    os.environ["KLANTOCRATIE_DATABASE_URL"] = f"{args.server}/{args.database}"
    try:
        setup_django()
        from django.conf import settings

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        print(f"machine: {_machine()}")
        _setup(args.persons)
        _fill(args.cases, args.batch, args.seed)
        _lookups(args.lookups, args.seed)
        _decisions(args.evaluations, args.service_evaluations, args.seed)
        _status_changes(args.changes, args.seed)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            print(f"dropped {args.database}")


if __name__ == "__main__":
    main()
