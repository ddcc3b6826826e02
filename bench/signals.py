"""Signal rules over a synthetic region: a full run on DuckDB and on Spark, and one person.

    .venv/bin/python bench/signals.py --persons 1000000 --facts 20000000 --keep

Writes var/bench/signals-<persons>-<facts>.parquet (with --keep: reuses it, and leaves
it for the next run): every person born and living in a buurt, random facts of every
kind with contacts as the bulk, and planted cases and near misses for each pack rule
(tests/signals/synthetic.py), streamed in batches. Then, each in a fresh process so
that its peak memory is its own:

(a) all rules of the demo pack on DuckDB, `evaluate_on_duckdb(path, ...)` (the path the
    nightly run takes: the rules' SQL compiled once by Ibis, then run): wall time, time
    per rule, peak RSS (DuckDB runs inside the process);
(b) all rules for one person from an in-memory Arrow table, as an event about that
    person re-evaluates them, with `evaluate_on_duckdb` and, for comparison, with the
    plain Ibis path `evaluate(duckdb_facts(table), ...)`: p50/p95/p99 over --sample persons;
(c) the same full run on Spark local[2]: the session's start, then the run, the peak
    RSS of Spark's JVM, and whether Spark found exactly what DuckDB found.
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KLANTOCRATIE_DEMO", "1")

from _setup import percentile  # noqa: E402

from tests.signals.synthetic import (  # noqa: E402
    REFERENCE_DATE,
    pack_rules,
    pseudonym,
    write_snapshot,
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _digest(firings: list[Any]) -> str:
    """One hash over every firing, evidence and buurt included, to compare two runs."""
    digest = hashlib.sha256()
    for f in firings:
        digest.update(json.dumps([f.rule, f.subject, f.facts, f.evidence, f.buurt_code]).encode())
    return digest.hexdigest()


def _full_run(evaluate: Any, facts: Any) -> dict[str, Any]:
    per_rule: dict[str, float] = {}
    current: list[Any] = []

    def progress(rule: str) -> None:
        now = time.perf_counter()
        if current:
            per_rule[current[0]] = now - current[1]
        current[:] = [rule, now]

    started = time.perf_counter()
    firings = evaluate(facts, pack_rules(), REFERENCE_DATE, progress=progress)
    finished = time.perf_counter()
    per_rule[current[0]] = finished - current[1]
    return {
        "seconds": finished - started,
        "per_rule": per_rule,
        "fired": dict(Counter(f.rule for f in firings)),
        "firings": len(firings),
        "digest": _digest(firings),
    }


def duckdb_run(path: str) -> dict[str, Any]:
    import duckdb

    from klantocratie.signals.engine import evaluate_on_duckdb

    # The settings a fresh connection gets, as evaluate_on_duckdb opens one.
    limit, threads = (
        duckdb.connect()
        .execute("SELECT current_setting('memory_limit'), current_setting('threads')")
        .fetchone()
    )
    result = _full_run(evaluate_on_duckdb, path)
    result.update(peak_rss_mb=_peak_rss_mb(), memory_limit=limit, threads=threads)
    return result


def one_person_runs(path: str, persons: int, sample: int, seed: int) -> dict[str, Any]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from klantocratie.signals.engine import duckdb_facts, evaluate, evaluate_on_duckdb

    chosen = [pseudonym(seed, n) for n in random.Random(7).sample(range(persons), sample)]
    everyone = pq.read_table(path, filters=[("subject", "in", chosen)])
    tables = [everyone.filter(pc.equal(everyone["subject"], subject)) for subject in chosen]
    rules = pack_rules()
    paths = {
        "cached SQL": lambda table: evaluate_on_duckdb(table, rules, REFERENCE_DATE),
        "Ibis each time": lambda table: evaluate(duckdb_facts(table), rules, REFERENCE_DATE),
    }
    result: dict[str, Any] = {"facts": everyone.num_rows / len(tables)}
    for name, run in paths.items():
        for table in tables[:3]:  # warm-up: imports and first compilations
            run(table)
        timings, fired = [], 0
        for table in tables:
            started = time.perf_counter()
            fired += len(run(table))
            timings.append(time.perf_counter() - started)
        timings.sort()
        result[name] = {
            "fired": fired,
            "p50": percentile(timings, 0.50),
            "p95": percentile(timings, 0.95),
            "p99": percentile(timings, 0.99),
        }
    return result


def _jvm_peak_rss_mb() -> float:
    """Peak RSS of this process's children (Spark's JVM), read before it stops."""
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0")) == os.getpid() and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
    return peak


def spark_run(path: str, memory: str) -> dict[str, Any]:
    started = time.perf_counter()
    from klantocratie.signals.spark import local_session, spark_facts, stop_session

    session = local_session(cores=2, memory=memory)
    start = time.perf_counter() - started
    from klantocratie.signals.engine import evaluate

    result = _full_run(evaluate, spark_facts(path, session))
    result.update(start=start, jvm_peak_rss_mb=_jvm_peak_rss_mb(), peak_rss_mb=_peak_rss_mb())
    stop_session()
    return result


def _in_fresh_process(function: Any, *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def _rules_table(title: str, runs: dict[str, dict[str, Any]]) -> None:
    names = list(next(iter(runs.values()))["per_rule"])
    print(f"\n{title}\n")
    print("| rule | fired | " + " | ".join(runs) + " |")
    print("| --- | --- |" + " --- |" * len(runs))
    first = next(iter(runs.values()))
    for name in names:
        times = " | ".join(f"{run['per_rule'][name]:.2f} s" for run in runs.values())
        print(f"| {name} | {first['fired'].get(name, 0):,} | {times} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--plant-every", type=int, default=100, help="every n-th person gets a planted case"
    )
    parser.add_argument("--sample", type=int, default=200, help="persons for the one-person run")
    parser.add_argument("--spark-memory", default="4g", help="Spark driver heap")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--keep", action="store_true", help="reuse and keep the Parquet file")
    args = parser.parse_args()

    directory = ROOT / "var" / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"signals-{args.persons}-{args.facts}-{args.seed}-{args.plant_every}.parquet"
    if args.keep and path.exists():
        print(f"snapshot: {path} (kept from an earlier run)")
    else:
        started = time.perf_counter()
        written, _planted = write_snapshot(
            path, args.persons, args.facts, seed=args.seed, plant_every=args.plant_every
        )
        print(
            f"snapshot: {path}, {written:,} facts written in {time.perf_counter() - started:.1f} s"
        )
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    print(
        f"{args.persons:,} persons, {metadata.num_rows:,} facts, {metadata.num_row_groups} row "
        f"groups, {path.stat().st_size / 1e6:,.0f} MB; {len(pack_rules())} rules; "
        f"reference date {REFERENCE_DATE}; {os.cpu_count()} cores"
    )

    try:
        duck = _in_fresh_process(duckdb_run, str(path))
        one = _in_fresh_process(one_person_runs, str(path), args.persons, args.sample, args.seed)
        spark = (
            None if args.skip_spark else _in_fresh_process(spark_run, str(path), args.spark_memory)
        )
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)

    print("\n| run | wall time | peak RSS | firings |")
    print("| --- | --- | --- | --- |")
    print(
        f"| (a) DuckDB, all rules (threads {duck['threads']}, memory_limit "
        f"{duck['memory_limit']}) | {duck['seconds']:.1f} s | {duck['peak_rss_mb']:,.0f} MB "
        f"| {duck['firings']:,} |"
    )
    if spark:
        print(f"| (c) Spark local[2]: session start | {spark['start']:.1f} s | | |")
        print(
            f"| (c) Spark local[2], all rules (driver {args.spark_memory}) | {spark['seconds']:.1f} s "
            f"| {spark['jvm_peak_rss_mb']:,.0f} MB JVM + {spark['peak_rss_mb']:,.0f} MB Python "
            f"| {spark['firings']:,} |"
        )
    print(
        f"\n(b) one person, in-memory Arrow ({args.sample} persons, {one['facts']:.1f} facts each)"
    )
    for name in ("cached SQL", "Ibis each time"):
        run = one[name]
        print(
            f"    {name}: {run['fired']} firings, p50 {run['p50'] * 1000:.0f} ms, "
            f"p95 {run['p95'] * 1000:.0f} ms, p99 {run['p99'] * 1000:.0f} ms"
        )
    runs = {"DuckDB": duck, **({"Spark": spark} if spark else {})}
    _rules_table("Time per rule (evaluation, evidence and buurt):", runs)
    reading = " | ".join(
        f"{run['seconds'] - sum(run['per_rule'].values()):.2f} s" for run in runs.values()
    )
    print(f"| before the first rule: the facts of the kinds the rules read | | {reading} |")
    if spark:
        same = spark["digest"] == duck["digest"]
        print(f"\nSpark found exactly what DuckDB found (facts, evidence, buurt): {same}")


if __name__ == "__main__":
    main()
