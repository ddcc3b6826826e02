"""Probabilistic record linkage: which register person a partner's record is about.

A partner (housing corporation, police, waste company, creditor) delivers records with
a name, birth date and address but often no BSN. `train` learns, for that partner's
file against the register, how much each kind of (dis)agreement says (a
Fellegi-Sunter model, estimated with Splink); `predict` scores the plausible pairs
and yields them as `Candidate`s with what decided each one; `best_candidates` keeps
one person per partner record and flags those that must not be linked automatically.

Both sides arrive in the standard shape of `normalise.py`. DuckDB runs everything on
one machine; `backend="spark"` runs the same model on a given SparkSession (Splink's
similarity functions are added to it). One linkage runs at a time per session.

Training, per partner file:
1. how often two random records are the same person (the prior), from pairs that
   agree on almost everything, capped at one person per partner record;
2. u (how often a level occurs between different people) from a random sample of
   pairs, drawn by a hash of the record ids mixed with the seed;
3. m (how often a level occurs for the same person) by expectation maximisation, one
   round per training blocking rule, each sampled by a hash too, then blended with
   the prior m of each level in proportion to the true pairs the file holds: a large
   file speaks for itself, a small one cannot mislead the model.
Nothing depends on chance beyond the seed: the same files and seed give the same
model, and so the same `version`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI, Linker
from splink.blocking_analysis import count_comparisons_from_blocking_rules
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

from .comparisons import (
    deterministic_rules,
    linkage_settings,
    prediction_blocking_rules,
    prior_m,
    training_blocking_rules,
)
from .normalise import normalise_records

MODEL_FAMILY = "nl-1"
BACKENDS = ("duckdb", "spark")
PARTNER, PERSONS = "partner", "persons"  # Splink puts the alphabetically first on the left

# The share of true pairs the deterministic rules are assumed to find: they demand an
# exact surname, birth date and first name or address, which typos and initials defeat.
DETERMINISTIC_RECALL = 0.7
# Pairs sampled to estimate u. Sampling stops early once every level has been seen a
# hundred times; the rarest levels (a moved person's old postcode) never are.
U_SAMPLE_PAIRS = 2_000_000
# Pairs per expectation-maximisation round, at most; each round iterates over them.
EM_MAX_PAIRS = 2_000_000
# Records per side that the size estimate of a blocking rule looks at.
PROBE_RECORDS = 100_000
# How many true pairs the prior m values of `comparisons` count for (see `_with_priors`).
PRIOR_STRENGTH = 100.0
# Model parameters are stored to this many significant digits: the last bits of a sum
# over threads differ between runs, the model and its version must not.
SIGNIFICANT_DIGITS = 9
# A runner-up within this many bits (a factor 2**4 = 16 in odds) of the best person
# makes a partner record ambiguous.
AMBIGUITY_MARGIN = 4.0


@dataclass(frozen=True)
class TrainedModel:
    settings: dict[str, Any]  # Splink's model JSON, trained
    version: str  # "nl-1-" and the first 12 hex digits of the SHA-256 of `settings`
    # partner_records, persons, and comparisons: the pairs the blocking rules produce
    # (counted on a sample of records when a side has more than PROBE_RECORDS)
    trained_on: dict[str, int]


@dataclass(frozen=True)
class LevelOutcome:
    comparison: str  # "achternaam"
    level: str  # "gelijk na voorvoegsel"
    bayes_factor: float
    match_weight: float  # log2 of the Bayes factor


@dataclass(frozen=True)
class Candidate:
    partner_id: str
    person_id: str
    match_weight: float
    match_probability: float
    levels: tuple[LevelOutcome, ...]  # every comparison, largest |match_weight| first


@dataclass(frozen=True)
class BestCandidate:
    """The most likely person for one partner record, and the next one if any."""

    candidate: Candidate
    runner_up: Candidate | None
    ambiguous: bool  # the runner-up is within the margin: never link automatically


def _quiet_splink() -> None:
    # Splink reports every step at INFO; its warnings and errors still get through.
    logging.getLogger("splink").setLevel(logging.WARNING)
    # Except one: a level that no pair of this file reached cannot be trained, and then
    # keeps its Dutch starting value by design, so saying so for each is only noise.
    logging.getLogger("splink.internals.expectation_maximisation").setLevel(logging.ERROR)


def _database(backend: str, spark: Any) -> DatabaseAPI[Any]:
    if backend == "duckdb":
        return DuckDBAPI()
    if backend == "spark":
        if spark is None:
            raise ValueError("backend='spark' needs a SparkSession: pass spark=…")
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        # Splink's string similarities (Jaro-Winkler, Damerau-Levenshtein) come in a
        # jar it ships; added here, they reach any session, also one whose JVM was
        # started without them, and the executors of a cluster.
        spark.sql(f"ADD JAR '{similarity_jar_location()}'")
        # Splink writes intermediate tables as Parquet under the session's checkpoint
        # directory; a session without one (local mode) keeps them in its cache.
        has_checkpoints = spark.sparkContext.getCheckpointDir() is not None
        return SparkAPI(
            spark_session=spark, break_lineage_method=None if has_checkpoints else "persist"
        )
    raise ValueError(f"Unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


@contextmanager
def _linker(
    backend: str,
    spark: Any,
    partner: pa.Table,
    persons: pa.Table,
    settings_for_dialect: Callable[[str], dict[str, Any]],
) -> Iterator[tuple[Linker, list[SplinkDataFrame]]]:
    """A Splink linker over the two normalised tables, and the tables as registered;
    afterwards everything the run put in the backend is dropped (a Spark session
    outlives one run)."""
    database = _database(backend, spark)
    settings = settings_for_dialect(database.sql_dialect.sql_dialect_str)
    # Table names are unique per run, as a Spark session keeps its tables; the
    # display names are what Splink writes in `source_dataset`.
    run = uuid.uuid4().hex[:12]
    frames = [
        database.register(table, dataset_display_name=name, table_name=f"{name}_{run}")
        for name, table in ((PARTNER, partner), (PERSONS, persons))
    ]
    views_before = _spark_views(spark) if backend == "spark" else set()
    try:
        yield Linker(frames, settings, log_level=None), frames
    finally:
        database.delete_tables_created_by_splink_from_db()
        for frame in frames:
            database.delete_table_from_database(frame.physical_name)
        if backend == "spark":
            # Splink leaves some views of its own (blocked pairs, exploded ids), cached;
            # dropping a view uncaches it. One linkage runs at a time per session.
            for name in _spark_views(spark) - views_before:
                if name.startswith("__splink__"):
                    spark.catalog.dropTempView(name)


def _spark_views(spark: Any) -> set[str]:
    return {table.name for table in spark.catalog.listTables() if table.isTemporary}


def _rounded(value: Any) -> Any:
    if isinstance(value, float) and value not in (0.0, 1.0) and math.isfinite(value):
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _with_priors(settings: dict[str, Any], expected_matches: float) -> None:
    """Blend the learned m values with the prior ones, and fill what was never seen.

    Each level's m becomes (n·learned + k·prior) / (n + k), with n the true pairs the
    partner file is expected to hold and k = `PRIOR_STRENGTH`: the estimate a
    Dirichlet prior worth k true pairs gives. A file of a million records decides for
    itself; one of forty, whose expectation maximisation has too few true pairs to
    tell a person from a family of namesakes, stays close to the prior. A level no
    likely match reached keeps its prior; a level no sampled pair of different people
    reached is rarer than one in `U_SAMPLE_PAIRS` among them.
    """
    priors = prior_m()
    for comparison in settings["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        for level in levels:
            prior = priors[comparison["output_column_name"]][level["label_for_charts"]]
            learned = level.get("m_probability")
            if isinstance(learned, float):
                level["m_probability"] = (expected_matches * learned + PRIOR_STRENGTH * prior) / (
                    expected_matches + PRIOR_STRENGTH
                )
            else:
                level["m_probability"] = prior
            if not isinstance(level.get("u_probability"), float):
                level["u_probability"] = 1 / U_SAMPLE_PAIRS
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total


def _canonical_model(settings: dict[str, Any]) -> dict[str, Any]:
    """The trained model without what differs between identical runs: Splink's random
    linker id and the last bits of floating-point sums."""
    return _rounded({key: value for key, value in settings.items() if key != "linker_uid"})


def _version(settings: dict[str, Any]) -> str:
    canonical = json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{MODEL_FAMILY}-{hashlib.sha256(canonical.encode()).hexdigest()[:12]}"


def _probe_proportion(partner: pa.Table, persons: pa.Table) -> float:
    return min(1.0, PROBE_RECORDS / max(partner.num_rows, persons.num_rows, 1))


def train(
    partner: pa.Table | pd.DataFrame,
    persons: pa.Table | pd.DataFrame,
    *,
    backend: str = "duckdb",
    seed: int = 42,
    spark: Any = None,
) -> TrainedModel:
    """Learn the model for one partner's file against the register persons."""
    _quiet_splink()
    left, right = normalise_records(partner), normalise_records(persons)
    untrained = linkage_settings().create_settings_dict
    with _linker(backend, spark, left, right, untrained) as (linker, frames):
        training = linker.training
        training.estimate_probability_two_random_records_match(
            deterministic_rules(), recall=DETERMINISTIC_RECALL
        )
        training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
        probe = _probe_proportion(left, right)
        for rule in training_blocking_rules():
            training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=EM_MAX_PAIRS, record_sample_proportion=probe
            )
        learned = linker.misc.save_model_to_json()
        # A partner record is about one person at most: at most one pair in every
        # `persons` pairs can match, whatever the deterministic rules suggest.
        prior = min(learned["probability_two_random_records_match"], 1 / max(right.num_rows, 1))
        learned["probability_two_random_records_match"] = prior
        _with_priors(learned, prior * left.num_rows * right.num_rows)
        model = _canonical_model(learned)
        with warnings.catch_warnings():
            # On a sample, a narrow rule is counted from few pairs; the total is what
            # is reported, and it is dominated by the wide rules.
            warnings.simplefilter("ignore", UserWarning)
            counted = count_comparisons_from_blocking_rules(
                frames,
                blocking_rules=prediction_blocking_rules(),
                link_type="link_only",
                record_sample_proportion=probe,
            )
    return TrainedModel(
        settings=model,
        version=_version(model),
        trained_on={
            "partner_records": left.num_rows,
            "persons": right.num_rows,
            "comparisons": int(counted[-1]["cumulative_comparison_count"]),
        },
    )


def _levels(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    return comparison["comparison_levels"]


def settings_for(model: TrainedModel, dialect: str) -> dict[str, Any]:
    """The trained model written out for `dialect` ("duckdb" or "spark").

    The comparisons' SQL is generated afresh for the backend and the trained
    parameters are carried over level by level (matched on their labels), so a model
    trained on DuckDB predicts on Spark and the other way round.
    """
    fresh = linkage_settings().create_settings_dict(dialect)
    trained = {c["output_column_name"]: c for c in model.settings["comparisons"]}
    for comparison in fresh["comparisons"]:
        name = comparison["output_column_name"]
        labels = [level["label_for_charts"] for level in _levels(comparison)]
        source = trained.get(name)
        if source is None or [lv["label_for_charts"] for lv in _levels(source)] != labels:
            raise ValueError(
                f"Model {model.version} was trained with other comparisons than this "
                f"version compares ({name}); train it again."
            )
        for level, trained_level in zip(_levels(comparison), _levels(source), strict=True):
            for key in ("m_probability", "u_probability"):
                if key in trained_level:
                    level[key] = trained_level[key]
    fresh["probability_two_random_records_match"] = model.settings[
        "probability_two_random_records_match"
    ]
    return fresh


@dataclass(frozen=True)
class _ComparisonOutput:
    name: str
    labels: dict[int, str]  # Splink's comparison vector value → level label
    has_tf: bool


def _outputs(settings: dict[str, Any]) -> list[_ComparisonOutput]:
    """Per comparison, the label of each value Splink writes in its gamma column: -1
    for the null level, then counting down to 0 for the last ("else") level."""
    outputs = []
    for comparison in settings["comparisons"]:
        levels = _levels(comparison)
        counted = [level for level in levels if not level.get("is_null_level")]
        labels = {
            len(counted) - 1 - i: level["label_for_charts"] for i, level in enumerate(counted)
        }
        for level in levels:
            if level.get("is_null_level"):
                labels[-1] = level["label_for_charts"]
        outputs.append(
            _ComparisonOutput(
                comparison["output_column_name"],
                labels,
                any(level.get("tf_adjustment_column") for level in levels),
            )
        )
    return outputs


def _columns(outputs: list[_ComparisonOutput]) -> list[str]:
    columns = [
        "source_dataset_l",
        "unique_id_l",
        "unique_id_r",
        "match_weight",
        "match_probability",
    ]
    for output in outputs:
        columns += [f"gamma_{output.name}", f"mw_{output.name}"]
        if output.has_tf:
            columns.append(f"mw_tf_adj_{output.name}")
    return columns


def _candidate(row: dict[str, Any], outputs: list[_ComparisonOutput]) -> Candidate:
    levels = []
    for output in outputs:
        weight = (row[f"mw_{output.name}"] or 0.0) + (
            (row[f"mw_tf_adj_{output.name}"] or 0.0) if output.has_tf else 0.0
        )
        levels.append(
            LevelOutcome(
                comparison=output.name,
                level=output.labels[row[f"gamma_{output.name}"]],
                bayes_factor=2.0**weight,
                match_weight=weight,
            )
        )
    levels.sort(key=lambda outcome: -abs(outcome.match_weight))
    partner_id, person_id = row["unique_id_l"], row["unique_id_r"]
    if row["source_dataset_l"] != PARTNER:
        partner_id, person_id = person_id, partner_id
    return Candidate(
        partner_id=partner_id,
        person_id=person_id,
        match_weight=row["match_weight"],
        match_probability=row["match_probability"],
        levels=tuple(levels),
    )


def _rows(
    predictions: SplinkDataFrame, columns: list[str], batch_size: int
) -> Iterator[dict[str, Any]]:
    """The predictions a batch at a time: never all of them in Python at once."""
    if isinstance(predictions.db_api, DuckDBAPI):
        reader = predictions.as_duckdbpyrelation().select(*columns).to_arrow_reader(batch_size)
        for batch in reader:
            yield from batch.to_pylist()
    else:
        frame = predictions.as_spark_dataframe().select(*columns)
        for row in frame.toLocalIterator(prefetchPartitions=True):
            yield row.asDict()


def predict(
    model: TrainedModel,
    partner: pa.Table | pd.DataFrame,
    persons: pa.Table | pd.DataFrame,
    *,
    threshold_probability: float,
    backend: str = "duckdb",
    spark: Any = None,
    batch_size: int = 10_000,
) -> Iterator[Candidate]:
    """Every scored pair at or above `threshold_probability`, in no particular order.

    A generator: pairs are read from the backend a batch at a time, and the backend's
    tables are dropped when it is exhausted or closed.
    """
    _quiet_splink()
    left, right = normalise_records(partner), normalise_records(persons)
    outputs = _outputs(model.settings)
    with _linker(backend, spark, left, right, lambda d: settings_for(model, d)) as (linker, _):
        predictions = linker.inference.predict(threshold_match_probability=threshold_probability)
        for row in _rows(predictions, _columns(outputs), batch_size):
            yield _candidate(row, outputs)


def best_candidates(
    candidates: Iterable[Candidate], ambiguity_margin: float = AMBIGUITY_MARGIN
) -> list[BestCandidate]:
    """One person per partner record: the highest match weight, with the runner-up.

    A record is ambiguous when its runner-up is within `ambiguity_margin` bits of the
    best (twins at one address with only an initial to go on): a person decides.
    Sorted by partner id. Keeps two candidates per partner record in memory.
    """
    top: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        kept = top.setdefault(candidate.partner_id, [])
        kept.append(candidate)
        kept.sort(key=lambda c: (-c.match_weight, c.person_id))
        del kept[2:]
    chosen = []
    for partner_id in sorted(top):
        best, *rest = top[partner_id]
        runner_up = rest[0] if rest else None
        ambiguous = (
            runner_up is not None and best.match_weight - runner_up.match_weight < ambiguity_margin
        )
        chosen.append(BestCandidate(best, runner_up, ambiguous))
    return chosen
