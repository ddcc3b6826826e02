"""The embedded default's fast path gives exactly what the plain Ibis path gives."""

import pyarrow.compute as pc

from klantocratie.signals.engine import duckdb_facts, evaluate, evaluate_on_duckdb
from tests.signals import synthetic


def test_cached_sql_and_ibis_find_the_same_firings_for_all_and_for_one() -> None:
    rules = synthetic.pack_rules()
    table, _planted = synthetic.snapshot_table(300, 6000)
    on = synthetic.REFERENCE_DATE
    everyone = evaluate_on_duckdb(table, rules, on)
    assert everyone and everyone == evaluate(duckdb_facts(table), rules, on)
    for firing in everyone[:5]:
        own = table.filter(pc.equal(table["subject"], firing.subject))
        alone = evaluate_on_duckdb(own, rules, on)
        assert alone == evaluate(duckdb_facts(own), rules, on)
        assert firing in alone


def test_a_parquet_snapshot_and_its_table_agree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pyarrow.parquet as pq

    rules = synthetic.pack_rules()
    table, _planted = synthetic.snapshot_table(200, 3000)
    path = tmp_path / "facts.parquet"
    pq.write_table(table, path)
    on = synthetic.REFERENCE_DATE
    assert evaluate_on_duckdb(str(path), rules, on) == evaluate_on_duckdb(table, rules, on)
