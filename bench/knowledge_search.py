"""Knowledge search quality and latency, with and without re-ranking.

Loads the national product list and the Almelo knowledge pack into a fresh database,
fills the embedding cache, then asks every question of tests/knowledge/search_questions.yaml
``--rounds`` times per mode and reports hit@1, hit@3 and latency p50/p95 per search.

    .venv/bin/python bench/knowledge_search.py                 # fresh SQLite in a temp dir
    .venv/bin/python bench/knowledge_search.py --rounds 5
    .venv/bin/python bench/knowledge_search.py --database-url postgres://user@host/db_for_bench

A PostgreSQL database given with --database-url is migrated and its knowledge tables
replaced, so point it at a database meant for benchmarks.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="Passes over the question set.")
    parser.add_argument("--database-url", help="Database to use (default: a fresh SQLite file).")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="knowledge-bench-")
    os.environ["KLANTOCRATIE_DATABASE_URL"] = (
        args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    )
    os.environ.setdefault("KLANTOCRATIE_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantocratie.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from klantocratie.knowledge.packs import load_knowledge
    from klantocratie.knowledge.quality import QualityReport, evaluate, read_questions
    from klantocratie.knowledge.services import embed_all, import_upl
    from klantocratie.registry.packs import load_pack

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_pack(ROOT / "packs" / "almelo")
    import_upl()
    summary = load_knowledge(ROOT / "packs" / "almelo" / "knowledge")
    embed_all()
    print(
        f"Loaded {summary.counts['search documents']} search documents "
        f"({summary.counts['answers']} answers) in {time.perf_counter() - started:.1f} s "
        f"on {django.db.connection.vendor}."
    )
    questions = read_questions(ROOT / "tests" / "knowledge" / "search_questions.yaml")
    # One search first, so the encoder's one-off loading time is not counted as latency.
    evaluate(questions[:1], rerank=True)
    print(f"{len(questions)} questions x {args.rounds} rounds per mode\n")
    print(f"{'mode':<12}{'hit@1':>8}{'hit@3':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for rerank in (False, True):
        combined = QualityReport()
        for _ in range(args.rounds):
            report = evaluate(questions, rerank=rerank)
            combined.latencies_ms += report.latencies_ms
            combined.questions, combined.hits_at_1, combined.hits_at_3 = (
                report.questions,
                report.hits_at_1,
                report.hits_at_3,
            )
        name = "re-ranked" if rerank else "full text"
        print(
            f"{name:<12}{combined.hit_at_1:>8.3f}{combined.hit_at_3:>8.3f}"
            f"{combined.latency(0.50):>10.1f}{combined.latency(0.95):>10.1f}"
        )


if __name__ == "__main__":
    main()
