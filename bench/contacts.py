"""Contact registration through the Klantinteracties API, on a registry of millions.

    export KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie_bench
    .venv/bin/python bench/clientview.py --setup --persons 1000000     # once, if not done
    .venv/bin/python bench/contacts.py --fill 20000000                  # once: ~15 min
    .venv/bin/python bench/contacts.py --requests 2000 --clients 1 8

--fill brings the registry to that many contacts, each with its client as betrokkene,
spread over the demo's persons, channels and the last three years, with one SQL
statement per batch (PostgreSQL only). The measured part is what a portal or KCC
system does: POST /api/klantinteracties/v1/maak-klantcontact for a random resident,
through the privacy gate (grant check, one processing-log record, audit entry), the
contact number series, the contact, its betrokkene and onderwerpobject, and the
event — the whole request through Django's WSGI handler, minus the network. Each
concurrent client is its own process with its own database connection.
"""

import argparse
import multiprocessing
import random
import statistics
import sys
import time
from typing import Any

from _setup import percentile, setup_django

API = "/api/klantinteracties/v1/maak-klantcontact"
AGENT = "demo-kcc"


def _fill(target: int, batch: int) -> None:
    from django.db import connection
    from tqdm import tqdm

    from klantocratie.contacts.models import Channel, Contact
    from klantocratie.parties.models import Party
    from klantocratie.registry.models import Organisation

    if connection.vendor != "postgresql":
        sys.exit("--fill writes with generate_series: run it on PostgreSQL.")
    have = Contact.objects.count()
    if have >= target:
        print(f"registry holds {have:,} contacts already")
        return
    channels = list(Channel.objects.values_list("pk", flat=True))
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    persons = Party.objects.filter(party_type="person")
    low = persons.order_by("pk").values_list("pk", flat=True).first()
    high = persons.order_by("-pk").values_list("pk", flat=True).first()
    if low is None or high is None:
        sys.exit("No persons loaded: run bench/clientview.py --setup first.")
    with tqdm(total=target - have, unit="contacts") as bar, connection.cursor() as cursor:
        for start in range(have, target, batch):
            stop = min(start + batch, target)
            cursor.execute(
                """
                WITH made AS (
                    INSERT INTO contacts_contact (uuid, nummer, subject, content, answer,
                        succeeded, language, confidential, occurred_at, registered_by,
                        trace_id, created_at, channel_id, organisation_id)
                    SELECT gen_random_uuid(), 'KB-' || lpad(g::text, 10, '0'),
                        'Vraag ' || (g %% 97), 'Vraag van de inwoner over onderwerp ' || (g %% 97),
                        'Beantwoord aan de telefoon.', g %% 5 <> 0, 'nld', false,
                        now() - (g %% 1095) * interval '1 day' - (g %% 86400) * interval '1 second',
                        'bench', '', now(),
                        (%(channels)s::bigint[])[1 + g %% %(nchannels)s],
                        (%(organisations)s::bigint[])[1 + g %% %(norganisations)s]
                    FROM generate_series(%(start)s, %(stop)s - 1) AS g
                    RETURNING id
                )
                INSERT INTO contacts_involvement (uuid, role, initiator, contact_initials,
                    contact_first_name, contact_surname_prefix, contact_surname,
                    organisation_name, contact_id, party_id)
                SELECT gen_random_uuid(), 'klant', true, '', '', '', '', '', made.id,
                    %(low)s + floor(random() * (%(high)s - %(low)s + 1))::bigint
                FROM made
                """,
                {
                    "channels": channels,
                    "nchannels": len(channels),
                    "organisations": organisations,
                    "norganisations": len(organisations),
                    "start": start,
                    "stop": stop,
                    "low": low,
                    "high": high,
                },
            )
            bar.update(stop - start)
    cursor = connection.cursor()
    cursor.execute("ANALYZE contacts_contact; ANALYZE contacts_involvement;")


def _body(party_uuid: str, n: int) -> dict[str, Any]:
    return {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Vraag over de aanslag afvalstoffenheffing",
            "inhoud": f"De inwoner vraagt om uitstel van betaling ({n}).",
            "reactie": "Uitstel van zes weken afgesproken.",
            "indicatieContactGelukt": True,
            "taal": "nld",
            "vertrouwelijk": False,
        },
        "betrokkene": {"wasPartij": {"uuid": party_uuid}, "rol": "klant", "initiator": True},
        "onderwerpobject": {
            "klantcontact": None,
            "onderwerpobjectidentificator": {
                "objectId": f"GBT-{n:08d}",
                "codeObjecttype": "zaak",
                "codeRegister": "gbtwente",
                "codeSoortObjectId": "identificatie",
            },
        },
    }


def _run_client(party_uuids: list[str], start_at: float) -> tuple[list[float], int]:
    setup_django()
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=AGENT))
    # One registration before the clock starts: connection, caches, the encoder of nothing.
    client.post(API, _body(party_uuids[0], 0), content_type="application/json")
    while time.time() < start_at:
        time.sleep(0.001)
    latencies, failures = [], 0
    for n, party_uuid in enumerate(party_uuids, start=1):
        started = time.perf_counter()
        response = client.post(API, _body(party_uuid, n), content_type="application/json")
        latencies.append((time.perf_counter() - started) * 1000)
        failures += response.status_code != 201
    return latencies, failures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fill", type=int, default=0, help="bring the registry to N contacts")
    parser.add_argument("--batch", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000, help="per concurrency level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from klantocratie.contacts.models import Contact
    from klantocratie.parties.models import Party

    if args.fill:
        _fill(args.fill, args.batch)
    rng = random.Random(args.seed)
    high = Party.objects.filter(party_type="person").order_by("-pk").values_list("pk", flat=True)
    top = high.first()
    if top is None:
        sys.exit("No persons loaded: run bench/clientview.py --setup first.")
    ids = {rng.randint(1, top) for _ in range(args.requests * 3)}
    party_uuids = [
        str(u)
        for u in Party.objects.filter(pk__in=ids, party_type="person").values_list(
            "uuid", flat=True
        )
    ]
    print(
        f"database: {connection.vendor}, contacts: {Contact.objects.count():,}, "
        f"persons: {Party.objects.filter(party_type='person').count():,}"
    )
    connection.close()
    spawn = multiprocessing.get_context("spawn")
    for clients in args.clients:
        chosen = rng.sample(party_uuids, min(args.requests, len(party_uuids)))
        shares = [chosen[i::clients] for i in range(clients)]
        start_at = time.time() + 3 + clients
        with spawn.Pool(clients) as pool:
            results = pool.starmap(_run_client, [(share, start_at) for share in shares])
        elapsed = max(sum(lat) for lat, _ in results) / 1000
        latencies = sorted(value for lat, _ in results for value in lat)
        failures = sum(f for _, f in results)
        print(
            f"clients={clients} registrations={len(latencies)} "
            f"p50={percentile(latencies, 0.50):.1f}ms p95={percentile(latencies, 0.95):.1f}ms "
            f"p99={percentile(latencies, 0.99):.1f}ms mean={statistics.fmean(latencies):.1f}ms "
            f"sustained={len(latencies) / elapsed:.0f} contacts/s failures={failures}"
        )


if __name__ == "__main__":
    main()
