"""Deterministic synthetic snapshots for the signal rules (the tests and bench/signals.py).

A snapshot holds what `gate.extract` writes: rows of `FACT_SCHEMA`, one pseudonym per
person. Every person is born and lives in a buurt. On top of that a person gets either
random facts of every kind, at rates loosely like a Dutch town's (contacts most, tax
arrears and business registrations rarely), or one planted scenario: a case a pack rule
must fire on, or a near miss it must not fire on. Planted persons get no random facts,
so nothing but the scenario decides whether their rule fires.

The same seed gives the same file. Persons are generated in batches with numpy and
written batch by batch, so a snapshot of twenty million facts needs little memory.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from klantocratie.analytics.vocabulary import FACT_KINDS, FACT_SCHEMA
from klantocratie.signals.conditions import parse_condition
from klantocratie.signals.engine import RuleToRun

PACK_SIGNALS = Path(__file__).resolve().parents[2] / "packs" / "almelo" / "signals"

# The snapshot's reference date: every date below is relative to it.
REFERENCE_DATE = date(2026, 11, 1)
_EPOCH = date(1970, 1, 1)
_REFERENCE_DAY = (REFERENCE_DATE - _EPOCH).days

BUURTEN = tuple(f"BU0141{wijk:02d}{buurt:02d}" for wijk in range(12) for buurt in range(6))

# Where a kind's facts come from: (organisation, source), as the Almelo pack names them.
_ORIGIN = {
    "persoon": ("gemeente-almelo", "brp-almelo"),
    "huishouden": ("gemeente-almelo", "brp-almelo"),
    "onderneming.gestart": ("kvk", "handelsregister"),
    "belastingschuld": ("belastingdienst", "belastingdienst-fiscaal"),
    "uitkering.lopend": ("uwv", "uwv-uitkeringen"),
    "post.onbestelbaar": ("retourpost", "retourpost-registratie"),
    "klacht.verhuurder": ("woonstichting-twente", "huuradministratie"),
    "huur.achterstand": ("woonstichting-twente", "huuradministratie"),
    "melding.politie": ("politie-twente", "politie-meldingen"),
    "melding.openbare-ruimte": ("gemeente-almelo", "zaaksysteem-regio"),
    "zaak.aangevraagd": ("gemeente-almelo", "zaaksysteem-regio"),
    "contact": ("gemeente-almelo", "klantcontactregister"),
    # Early-warning reports are registered by the municipality, at the creditor.
    "achterstand.huur": ("woonstichting-twente", "vroegsignalen"),
    "achterstand.energie": ("energie-twente", "vroegsignalen"),
    "achterstand.water": ("waterbedrijf-oost", "vroegsignalen"),
    "achterstand.zorgverzekering": ("zorgverzekeraar-oost", "vroegsignalen"),
}


def origin(kind: str) -> tuple[str, str]:
    return _ORIGIN.get(kind) or _ORIGIN[kind.split(".")[0]]


def ago(days: int) -> date:
    """The date `days` before the reference date (after it when negative)."""
    return REFERENCE_DATE - timedelta(days=days)


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def pack_rules(directory: Path = PACK_SIGNALS) -> list[RuleToRun]:
    """The demo pack's signal rules, straight from their files (teams.yaml is no rule)."""
    rules = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if "code" in data:
            condition = parse_condition(data["facts"], data["when"])
            rules.append(RuleToRun(f"{data['code']}@{data['version']}", condition))
    return rules


# --- random facts ---------------------------------------------------------------------


@dataclass(frozen=True)
class NoiseKind:
    kind: str
    rate: float  # mean facts per person (contacts: whatever reaches the requested total)
    newest: int  # days before the reference date; negative: facts dated after it
    oldest: int
    categories: tuple[tuple[str, float], ...] = (("", 1.0),)
    amount: tuple[float, float] | None = None  # lognormal (mu, sigma), in euros
    once: bool = False  # at most one per person, with probability `rate`
    undated: float = 0.0  # share of facts without a date


NOISE = (
    # Contacts are the bulk; their rate is set to make up the requested total.
    NoiseKind(
        "contact",
        0.0,
        -5,
        1095,
        (("afval", 3), ("belastingen", 2), ("paspoort", 2), ("wmo", 1), ("parkeren", 1)),
    ),
    NoiseKind(
        "klacht.verhuurder",
        0.5,
        -5,
        1095,
        (("geluidsoverlast", 3), ("onderhoud", 3), ("vocht", 1), ("buren", 2)),
    ),
    NoiseKind(
        "melding.politie",
        0.3,
        -5,
        1095,
        (("overlast", 3), ("burenruzie", 2), ("vernieling", 1), ("diefstal", 1)),
    ),
    NoiseKind(
        "melding.openbare-ruimte",
        0.8,
        -5,
        1095,
        (("afval", 3), ("straatverlichting", 1), ("wegen-verkeer", 2), ("groen", 1)),
    ),
    NoiseKind(
        "zaak.aangevraagd",
        1.2,
        -5,
        730,
        (
            ("omgevingsvergunning-bouwen", 1),
            ("parkeervergunning", 3),
            ("wmo-voorziening", 2),
            ("bijzondere-bijstand", 1),
            ("evenementenvergunning", 1),
        ),
    ),
    NoiseKind(
        "belastingschuld",
        0.12,
        -60,
        1460,
        (("inkomstenbelasting", 3), ("toeslag-terugvordering", 2), ("motorrijtuigenbelasting", 1)),
        amount=(7.0, 1.1),
    ),
    NoiseKind(
        "uitkering.lopend",
        0.4,
        0,
        3650,
        (("WW", 2), ("WIA", 2), ("Ziektewet", 1), ("Wajong", 1)),
        undated=0.02,
    ),
    NoiseKind(
        "post.onbestelbaar",
        0.08,
        -5,
        540,
        (("Belastingdienst", 4), ("Gemeente Almelo", 3), ("UWV", 2), ("CAK", 1)),
    ),
    NoiseKind("onderneming.gestart", 0.04, 0, 3650, (("thuisgevestigd", 3), ("bedrijfspand", 1))),
    NoiseKind("huur.achterstand", 0.03, 0, 400, (("huur", 1),), amount=(6.5, 0.8)),
    NoiseKind("achterstand.huur", 0.015, -5, 400, (("huur", 1),), amount=(6.5, 0.8)),
    NoiseKind("achterstand.energie", 0.015, -5, 400, (("energie", 1),), amount=(5.5, 0.8)),
    NoiseKind("achterstand.water", 0.005, -5, 400, (("water", 1),), amount=(4.5, 0.6)),
    NoiseKind(
        "achterstand.zorgverzekering", 0.01, -5, 400, (("zorgverzekering", 1),), amount=(5.8, 0.7)
    ),
    NoiseKind("huishouden.kind-geboren", 0.4, -5, 10950),
    NoiseKind("huishouden.kind-thuis", 0.5, 0, 7300, undated=0.02),
    NoiseKind("huishouden.kind-vertrokken", 0.15, 0, 3650, once=True),
    NoiseKind("huishouden.partner-overleden", 0.03, 0, 7300, once=True),
)
# Every person: born, and living somewhere (a few twice: a move not yet closed).
_SECOND_HOME = 0.03
_BASE_FACTS = 2 + _SECOND_HOME


# --- planted scenarios ----------------------------------------------------------------


@dataclass(frozen=True)
class PlantedFact:
    kind: str
    at: date | None
    category: str = ""
    amount: float | None = None


@dataclass(frozen=True)
class Scenario:
    rule: str  # the rule's code
    name: str
    fires: bool
    facts: tuple[PlantedFact, ...]
    # Fact values a firing must carry (JSON form, as `Firing.facts` holds them).
    expect: dict[str, Any] = field(default_factory=dict)


def _f(kind: str, days: int | None, category: str = "", amount: float | None = None) -> PlantedFact:
    return PlantedFact(kind, ago(days) if days is not None else None, category, amount)


def _turning(years: int, in_days: int) -> date:
    """The birth date of whoever turns `years` old `in_days` after the reference date."""
    return _years_before(ago(-in_days), years)


def _born_turning(years: int, in_days: int) -> PlantedFact:
    return PlantedFact("persoon.geboren", _turning(years, in_days))


_BOUW = "omgevingsvergunning-bouwen"
_IB = "inkomstenbelasting"
_VERTREK = "huishouden.kind-vertrokken"
_KLACHT, _POLITIE, _OPENBAAR = "klacht.verhuurder", "melding.politie", "melding.openbare-ruimte"
_BD = "Belastingdienst"


def _life_event(rule: str, kind: str, category: str = "") -> tuple[Scenario, ...]:
    return (
        Scenario(rule, "vandaag", True, (_f(kind, 0, category),), {"moment": ago(0).isoformat()}),
        Scenario(rule, "90 dagen geleden", True, (_f(kind, 90, category),)),
        Scenario(rule, "91 dagen geleden", False, (_f(kind, 91, category),)),
        Scenario(rule, "na de peildatum", False, (_f(kind, -1, category),)),
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "bouwaanvraag-met-belastingschuld",
        "schuld van precies 5.000 euro",
        True,
        (
            _f("zaak.aangevraagd", 30, _BOUW),
            _f("belastingschuld", 100, _IB, 3200.0),
            _f("belastingschuld", 60, "motorrijtuigenbelasting", 1800.0),
        ),
        {"aanvraag": ago(30).isoformat(), "schuld": 5000.0, "schuld_sinds": ago(100).isoformat()},
    ),
    Scenario(
        "bouwaanvraag-met-belastingschuld",
        "kleine schuld van precies een jaar, aanvraag 90 dagen geleden",
        True,
        (_f("zaak.aangevraagd", 90, _BOUW), _f("belastingschuld", 365, _IB, 450.0)),
        {"schuld": 450.0, "schuld_sinds": ago(365).isoformat()},
    ),
    Scenario(
        "bouwaanvraag-met-belastingschuld",
        "schuld net onder 5.000 euro en net geen jaar",
        False,
        (_f("zaak.aangevraagd", 10, _BOUW), _f("belastingschuld", 364, _IB, 4999.99)),
    ),
    Scenario(
        "bouwaanvraag-met-belastingschuld",
        "aanvraag 91 dagen geleden",
        False,
        (_f("zaak.aangevraagd", 91, _BOUW), _f("belastingschuld", 400, _IB, 8000.0)),
    ),
    Scenario(
        "bouwaanvraag-met-belastingschuld",
        "ander zaaktype",
        False,
        (_f("zaak.aangevraagd", 10, "parkeervergunning"), _f("belastingschuld", 400, _IB, 8000.0)),
    ),
    Scenario(
        "bouwaanvraag-met-belastingschuld",
        "aanslag pas na de peildatum",
        False,
        (_f("zaak.aangevraagd", 10, _BOUW), _f("belastingschuld", -10, _IB, 8000.0)),
    ),
    Scenario(
        "klachten-na-vertrek-kinderen",
        "drie klachten bij twee organisaties",
        True,
        (
            _f(_VERTREK, 200),
            _f(_KLACHT, 150, "geluidsoverlast"),
            _f(_KLACHT, 100, "buren"),
            _f(_POLITIE, 50, "overlast"),
        ),
        {"vertrek": ago(200).isoformat(), "thuiswonend": 0, "klachten": 3, "organisaties": 2},
    ),
    Scenario(
        "klachten-na-vertrek-kinderen",
        "vertrek precies twee jaar geleden, drie organisaties",
        True,
        (
            _f(_VERTREK, 730),
            _f(_OPENBAAR, 700, "afval"),
            _f(_KLACHT, 600, "onderhoud"),
            _f(_POLITIE, 10, "burenruzie"),
        ),
        {"klachten": 3, "organisaties": 3},
    ),
    Scenario(
        "klachten-na-vertrek-kinderen",
        "alle klachten bij één organisatie",
        False,
        (_f(_VERTREK, 200), *(_f(_KLACHT, days, "buren") for days in (150, 120, 90, 60))),
    ),
    Scenario(
        "klachten-na-vertrek-kinderen",
        "er woont nog een kind thuis",
        False,
        (
            _f(_VERTREK, 200),
            _f("huishouden.kind-thuis", 5000),
            _f(_KLACHT, 150, "geluidsoverlast"),
            _f(_KLACHT, 100, "buren"),
            _f(_POLITIE, 50, "overlast"),
        ),
    ),
    Scenario(
        "klachten-na-vertrek-kinderen",
        "klachten op en vóór de dag van vertrek",
        False,
        (
            _f(_VERTREK, 200),
            _f(_KLACHT, 300, "buren"),
            _f(_KLACHT, 200, "buren"),
            _f(_POLITIE, 200, "overlast"),
            _f(_POLITIE, 50, "overlast"),
        ),
    ),
    Scenario(
        "klachten-na-vertrek-kinderen",
        "vertrek twee jaar en een dag geleden",
        False,
        (
            _f(_VERTREK, 731),
            _f(_OPENBAAR, 700, "afval"),
            _f(_KLACHT, 600, "onderhoud"),
            _f(_POLITIE, 10, "burenruzie"),
        ),
    ),
    Scenario(
        "levensgebeurtenis-aow-leeftijd",
        "wordt over 45 dagen 67",
        True,
        (_born_turning(67, 45),),
        {"geboren": _turning(67, 45).isoformat()},
    ),
    Scenario("levensgebeurtenis-aow-leeftijd", "wordt vandaag 67", True, (_born_turning(67, 0),)),
    Scenario(
        "levensgebeurtenis-aow-leeftijd", "wordt over 90 dagen 67", True, (_born_turning(67, 90),)
    ),
    Scenario("levensgebeurtenis-aow-leeftijd", "werd gisteren 67", False, (_born_turning(67, -1),)),
    Scenario(
        "levensgebeurtenis-aow-leeftijd", "wordt over 91 dagen 67", False, (_born_turning(67, 91),)
    ),
    *_life_event("levensgebeurtenis-geboorte", "huishouden.kind-geboren"),
    *_life_event("levensgebeurtenis-overlijden-partner", "huishouden.partner-overleden"),
    *_life_event("levensgebeurtenis-start-onderneming", "onderneming.gestart", "thuisgevestigd"),
    Scenario(
        "uitkering-en-onbestelbare-post",
        "twee brieven retour, de oudste 180 dagen geleden",
        True,
        (
            _f("uitkering.lopend", 400, "WW"),
            _f("post.onbestelbaar", 180, _BD),
            _f("post.onbestelbaar", 20, _BD),
        ),
        {"uitkeringen": 1, "retour": 2, "laatste_retour": ago(20).isoformat()},
    ),
    Scenario(
        "uitkering-en-onbestelbare-post",
        "uitkering zonder ingangsdatum",
        True,
        (_f("uitkering.lopend", None, "WIA"), _f("post.onbestelbaar", 5, _BD)),
        {"uitkeringen": 1, "retour": 1},
    ),
    Scenario(
        "uitkering-en-onbestelbare-post",
        "post van een andere afzender",
        False,
        (_f("uitkering.lopend", 400, "WW"), _f("post.onbestelbaar", 5, "UWV")),
    ),
    Scenario(
        "uitkering-en-onbestelbare-post",
        "brief 181 dagen geleden retour",
        False,
        (_f("uitkering.lopend", 400, "WW"), _f("post.onbestelbaar", 181, _BD)),
    ),
    Scenario(
        "uitkering-en-onbestelbare-post",
        "geen uitkering",
        False,
        (_f("post.onbestelbaar", 5, _BD),),
    ),
    Scenario(
        "vroegsignalering-betalingsachterstand",
        "twee schuldeisers, de oudste 45 dagen",
        True,
        (
            _f("achterstand.huur", 45, "huur", 350.5),
            _f("achterstand.energie", 30, "energie", 120.25),
        ),
        {"achterstanden": 2, "bedrag": 470.75, "sinds": ago(45).isoformat(), "schuldeisers": 2},
    ),
    Scenario(
        "vroegsignalering-betalingsachterstand",
        "precies 30 dagen",
        True,
        (_f("achterstand.water", 30, "water", 80.0),),
        {"achterstanden": 1, "schuldeisers": 1},
    ),
    Scenario(
        "vroegsignalering-betalingsachterstand",
        "29 dagen",
        False,
        (_f("achterstand.water", 29, "water", 80.0),),
    ),
    Scenario(
        "vroegsignalering-betalingsachterstand",
        "huurachterstand bij de verhuurder, niet gemeld voor vroegsignalering",
        False,
        (_f("huur.achterstand", 200, "huur", 900.0),),
    ),
)


@dataclass
class Planted:
    """Whom each rule was planted to fire on, and whom it must not fire on."""

    fires: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    scenario: dict[str, Scenario] = field(default_factory=dict)

    def add(self, subject: str, scenario: Scenario) -> None:
        (self.fires if scenario.fires else self.misses)[scenario.rule].append(subject)
        self.scenario[subject] = scenario


# --- generation -----------------------------------------------------------------------


def pseudonym(seed: int, person: int) -> str:
    return hashlib.blake2b(f"{seed}:{person}".encode(), digest_size=12).hexdigest()


def _string_column(values: tuple[str, ...], chosen: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(chosen))


def _references(prefix: str, start: int, count: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(start, start + count)), pa.string())
    return pc.binary_join_element_wise(pa.scalar(f"{prefix}-"), numbers, "")


def _dates(
    rng: np.random.Generator, newest: int, oldest: int, count: int, undated: float
) -> pa.Array:
    days = _REFERENCE_DAY - rng.integers(newest, oldest + 1, size=count)
    missing = rng.random(count) < undated if undated else None
    return pa.array(days.astype(np.int32), pa.int32(), mask=missing).cast(pa.date32())


def _table(
    subjects: pa.Array,
    kind: str,
    at: pa.Array,
    category: pa.Array,
    amount: pa.Array,
    reference: pa.Array,
) -> pa.Table:
    count = len(subjects)
    organisation, source = origin(kind)
    return pa.Table.from_arrays(
        [
            subjects,
            pa.repeat(kind, count),
            at,
            category,
            amount,
            pa.repeat(organisation, count),
            pa.repeat(source, count),
            pa.repeat(FACT_KINDS[kind].element, count),
            reference,
        ],
        schema=FACT_SCHEMA,
    )


def _contacts_per_person(persons: int, facts: int, plant_every: int) -> float:
    """Contacts are the bulk of a snapshot; their rate makes up the requested total."""
    planted = -(-persons // plant_every)
    scenario_facts = sum(len(s.facts) for s in SCENARIOS) / len(SCENARIOS)
    random_facts = facts - persons * _BASE_FACTS - planted * scenario_facts
    per_person = random_facts / max(1, persons - planted)
    return max(0.0, per_person - sum(kind.rate for kind in NOISE if kind.kind != "contact"))


def _base_facts(
    rng: np.random.Generator, subjects: pa.Array, first: int, planted_births: dict[int, date]
) -> list[pa.Table]:
    count = len(subjects)
    # Ages up to 95; a planted birth date replaces the random one.
    born = _REFERENCE_DAY - rng.integers(0, 95 * 365, size=count)
    for position, day in planted_births.items():
        born[position] = (day - _EPOCH).days
    births = _table(
        subjects,
        "persoon.geboren",
        pa.array(born.astype(np.int32)).cast(pa.date32()),
        pa.repeat("", count),
        pa.nulls(count, pa.float64()),
        _references("persoon", first, count),
    )
    # A few persons have a second, newer home (a move not yet closed in the register);
    # never on the same day, so "the current buurt" is well defined.
    second = np.flatnonzero(rng.random(count) < _SECOND_HOME)
    homes = np.concatenate([np.arange(count), second])
    since = _REFERENCE_DAY - rng.integers(1, 20000, size=count)
    moved = (
        since[second]
        + 1
        + (rng.random(len(second)) * (_REFERENCE_DAY - since[second])).astype(np.int64)
    )
    since = np.concatenate([since, moved])
    addresses = _table(
        subjects.take(pa.array(homes)),
        "persoon.woont",
        pa.array(since.astype(np.int32), mask=rng.random(len(homes)) < 0.005).cast(pa.date32()),
        _string_column(BUURTEN, rng.integers(0, len(BUURTEN), size=len(homes))),
        pa.nulls(len(homes), pa.float64()),
        _references(f"verblijf-{first}", 0, len(homes)),
    )
    return [births, addresses]


def _noise_facts(
    rng: np.random.Generator, subjects: pa.Array, noisy: np.ndarray, first: int, contacts: float
) -> list[pa.Table]:
    tables = []
    for number, spec in enumerate(NOISE):
        if spec.once:
            counts = (rng.random(len(noisy)) < spec.rate).astype(np.int64)
        else:
            rate = contacts if spec.kind == "contact" else spec.rate
            counts = rng.poisson(rate, size=len(noisy))
        owners = np.repeat(noisy, counts)
        total = len(owners)
        if not total:
            continue
        values, weights = zip(*spec.categories, strict=True)
        probabilities = np.array(weights, dtype=float) / sum(weights)
        amount = (
            pa.array(np.round(rng.lognormal(*spec.amount, size=total), 2))
            if spec.amount
            else pa.nulls(total, pa.float64())
        )
        tables.append(
            _table(
                subjects.take(pa.array(owners)),
                spec.kind,
                _dates(rng, spec.newest, spec.oldest, total, spec.undated),
                _string_column(values, rng.choice(len(values), size=total, p=probabilities)),
                amount,
                # Unique per batch and kind: the batch's first person number is the offset.
                _references(f"f{number}-{first}", 0, total),
            )
        )
    return tables


def _planted_facts(subjects: pa.Array, planted: dict[int, Scenario], first: int) -> list[pa.Table]:
    rows: dict[str, list[Any]] = defaultdict(list)
    for position, scenario in planted.items():
        for number, fact in enumerate(scenario.facts):
            if fact.kind == "persoon.geboren":
                continue  # it replaces the random birth date
            organisation, source = origin(fact.kind)
            rows["subject"].append(subjects[position].as_py())
            rows["kind"].append(fact.kind)
            rows["at"].append(fact.at)
            rows["category"].append(fact.category)
            rows["amount"].append(fact.amount)
            rows["organisation"].append(organisation)
            rows["source"].append(source)
            rows["element"].append(FACT_KINDS[fact.kind].element)
            rows["reference"].append(f"plant-{first + position}-{number}")
    if not rows:
        return []
    return [pa.Table.from_pydict(dict(rows), schema=FACT_SCHEMA)]


def batches(
    persons: int,
    facts: int,
    *,
    seed: int = 5,
    plant_every: int = 4,
    batch_persons: int = 50_000,
    planted: Planted | None = None,
) -> Iterator[pa.Table]:
    """The snapshot in batches of persons; every `plant_every`th person gets a scenario.

    `facts` is the expected total; the number of contacts makes it up. Scenarios
    are handed out in turn, so each has about `persons / plant_every / len(SCENARIOS)`
    persons. Pass `planted` to learn who got which.
    """
    contacts = _contacts_per_person(persons, facts, plant_every)
    for first in range(0, persons, batch_persons):
        count = min(batch_persons, persons - first)
        # A generator per batch: batch n is the same whatever the batch before it drew.
        rng = np.random.default_rng([seed, first])
        subjects = pa.array([pseudonym(seed, first + n) for n in range(count)], pa.string())
        scenarios = {
            n: SCENARIOS[((first + n) // plant_every) % len(SCENARIOS)]
            for n in range(count)
            if (first + n) % plant_every == 0
        }
        if planted is not None:
            for n, scenario in scenarios.items():
                planted.add(subjects[n].as_py(), scenario)
        births = {
            n: fact.at
            for n, scenario in scenarios.items()
            for fact in scenario.facts
            if fact.kind == "persoon.geboren" and fact.at is not None
        }
        noisy = np.array([n for n in range(count) if n not in scenarios], dtype=np.int64)
        yield pa.concat_tables(
            [
                *_base_facts(rng, subjects, first, births),
                *_noise_facts(rng, subjects, noisy, first, contacts),
                *_planted_facts(subjects, scenarios, first),
            ]
        )


def snapshot_table(persons: int, facts: int, **options: Any) -> tuple[pa.Table, Planted]:
    """A small snapshot in memory, with who was planted for what."""
    planted = Planted()
    table = pa.concat_tables(list(batches(persons, facts, planted=planted, **options)))
    return table, planted


def write_snapshot(path: Path, persons: int, facts: int, **options: Any) -> tuple[int, Planted]:
    """Stream a snapshot to Parquet, one row group per batch; returns the facts written."""
    planted = Planted()
    written = 0
    with pq.ParquetWriter(path, FACT_SCHEMA) as writer:
        for table in batches(persons, facts, planted=planted, **options):
            writer.write_table(table)
            written += table.num_rows
    return written, planted
