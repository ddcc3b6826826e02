"""Processing-log append throughput and verify-log time.

    KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie_bench \
        .venv/bin/python bench/processing_log.py --records 10000000

Appends --records records in transactions of --batch (the way a bulk analytic read
logs one record per data subject), then times single-record appends (one gate read
each), then walks the whole chain with the same verification as `klantocratie verify-log`.
"""

import argparse
import datetime as dt
import time

from _setup import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--single", type=int, default=2_000, help="single-record appends to time")
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from klantocratie.privacy import log
    from klantocratie.privacy.models import ProcessingLogRecord

    call_command("migrate", verbosity=0)
    existing = ProcessingLogRecord.objects.count()
    print(f"database: {connection.vendor}, records before: {existing:,}")
    now = timezone.now()

    def entry(n: int) -> log.LogEntry:
        return log.LogEntry(
            trace_id=f"{n:032x}",
            span_id=f"{n:016x}",
            parent_span_id="",
            operation="read",
            processing_activity_id="kcc-dienstverlening@2",
            data_subject_id=log.pseudonymise("bsn", f"{n:09d}"),
            data_subject_type="bsn",
            start_time=now,
            end_time=now + dt.timedelta(milliseconds=4),
            status="OK",
        )

    to_add = max(0, args.records - existing)
    started = time.perf_counter()
    with tqdm(total=to_add, unit="rec") as bar:
        for offset in range(0, to_add, args.batch):
            size = min(args.batch, to_add - offset)
            log.append(entry(existing + offset + i) for i in range(size))
            bar.update(size)
    if to_add:
        elapsed = time.perf_counter() - started
        print(
            f"batched append: {to_add:,} records in {elapsed:.1f}s = {to_add / elapsed:,.0f} records/s"
        )

    started = time.perf_counter()
    for i in range(args.single):
        log.append([entry(10**9 + i)])
    elapsed = time.perf_counter() - started
    print(
        f"single appends: {args.single:,} in {elapsed:.1f}s = {args.single / elapsed:,.0f} appends/s"
    )

    total = ProcessingLogRecord.objects.count()
    with tqdm(total=total, unit="rec") as bar:
        done = 0

        def progress(checked: int) -> None:
            nonlocal done
            bar.update(checked - done)
            done = checked

        started = time.perf_counter()
        result = log.verify(on_progress=progress)
        elapsed = time.perf_counter() - started
    print(
        f"verify-log: {result.checked:,} records in {elapsed:.1f}s ({result.checked / elapsed:,.0f}/s), intact={result.intact}"
    )


if __name__ == "__main__":
    main()
