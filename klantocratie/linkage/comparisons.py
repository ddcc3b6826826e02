"""What the linkage model compares, and which pairs it looks at at all.

Four comparisons, each a ladder of levels from "the same" to "different"; the model
learns how much each level says about two records being one person. The labels are
what a reviewer reads on the review screen ("what decided it"), so they are Dutch.
The comparisons read the columns of `normalise.NORMALISED_SCHEMA`.

The levels are written with Splink's level library, or in DuckDB SQL that sqlglot
translates, so the same model runs on DuckDB and on Spark (`linkage_settings(dialect)`
writes them out for either).
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

SURNAME = "achternaam"
GIVEN_NAMES = "voornamen"
BIRTH_DATE = "geboortedatum"
ADDRESS = "adres"


def _label(level: Any, label: str, prior_m: float | None = None) -> Any:
    """A level with its label and, except for a null level, its prior m: how often a
    partner record and the register agree this way about the same person, before
    this partner's file has taught anything (see `engine.PRIOR_STRENGTH`)."""
    return level.configure(label_for_charts=label, m_probability=prior_m)


def _duckdb(sql: str, label: str, prior_m: float | None) -> ComparisonLevelCreator:
    level = cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")
    return level.configure(m_probability=prior_m)


def _swapped(label: str, prior_m: float) -> Any:
    """The surname written as the first given name, or the other way round."""
    return _label(
        cll.Or(
            cll.ColumnsReversedLevel("surname", "first_name"),
            cll.ColumnsReversedLevel("first_name", "surname"),
        ),
        label,
        prior_m,
    )


def surname_comparison() -> cl.CustomComparison:
    # A short surname ("Bos", "Ek") is inside too many others to say anything.
    contains = (
        "(length(surname_l) >= 4 AND strpos(surname_r, surname_l) > 0)"
        " OR (length(surname_r) >= 4 AND strpos(surname_l, surname_r) > 0)"
    )
    return cl.CustomComparison(
        output_column_name=SURNAME,
        comparison_levels=[
            _label(cll.NullLevel("surname"), "achternaam ontbreekt"),
            # Common surnames agree by chance more often: the weight of agreeing on
            # "de jong" is lower than on "roedelrode" (term-frequency adjustment).
            _label(
                cll.ExactMatchLevel("surname_full", term_frequency_adjustments=True),
                "gelijk, met voorvoegsel",
                0.85,
            ),
            _label(cll.ExactMatchLevel("surname"), "gelijk na voorvoegsel", 0.05),
            _duckdb(contains, "de een bevat de ander (dubbele naam)", 0.01),
            _label(
                cll.JaroWinklerLevel("surname", 0.92), "bijna gelijk (Jaro-Winkler ≥ 0,92)", 0.04
            ),
            _label(cll.JaroWinklerLevel("surname", 0.85), "lijkt (Jaro-Winkler ≥ 0,85)", 0.01),
            _swapped("verwisseld met de voornaam", 0.01),
            _label(cll.ElseLevel(), "anders", 0.03),
        ],
    )


def given_names_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=GIVEN_NAMES,
        comparison_levels=[
            _label(cll.NullLevel("initials"), "voornamen ontbreken"),
            _label(
                cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
                "eerste voornaam gelijk",
                0.60,
            ),
            _label(
                cll.JaroWinklerLevel("first_name", 0.9),
                "eerste voornaam bijna gelijk (Jaro-Winkler ≥ 0,9)",
                0.04,
            ),
            # "Johannes Petrus" against "J.P.": only one side wrote the names in full.
            _label(
                cll.And(cll.ExactMatchLevel("initials"), cll.NullLevel("first_name")),
                "voorletters gelijk (voluit tegen voorletters)",
                0.20,
            ),
            _swapped("verwisseld met de achternaam", 0.01),
            _duckdb(
                "substr(initials_l, 1, 1) = substr(initials_r, 1, 1)",
                "eerste voorletter gelijk",
                0.10,
            ),
            _label(cll.ElseLevel(), "anders", 0.05),
        ],
    )


def birth_date_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=BIRTH_DATE,
        comparison_levels=[
            _label(cll.NullLevel("birth_year"), "geboortedatum ontbreekt"),
            _label(cll.ExactMatchLevel("birth_date"), "gelijk", 0.90),
            _label(
                cll.And(
                    cll.ExactMatchLevel("birth_year"),
                    cll.ColumnsReversedLevel("birth_day", "birth_month", symmetrical=True),
                ),
                "dag en maand verwisseld",
                0.01,
            ),
            # On the ISO string: one digit mistyped, or two neighbours swapped ("03"/"30").
            _label(cll.DamerauLevenshteinLevel("birth_date", 1), "één tikfout", 0.04),
            _label(cll.ExactMatchLevel("birth_year"), "zelfde geboortejaar", 0.02),
            _label(cll.ElseLevel(), "anders", 0.03),
        ],
    )


def address_comparison() -> cl.CustomComparison:
    number = cll.ExactMatchLevel("house_number")
    moved = (
        "list_contains(previous_postcodes_r, postcode_l)"
        " OR list_contains(previous_postcodes_l, postcode_r)"
    )
    return cl.CustomComparison(
        output_column_name=ADDRESS,
        comparison_levels=[
            _label(
                cll.And(cll.NullLevel("postcode"), cll.NullLevel("street")),
                "adres ontbreekt",
            ),
            _label(
                cll.And(
                    cll.ExactMatchLevel("postcode"),
                    number,
                    _duckdb(
                        "coalesce(house_number_addition_l, '') = coalesce(house_number_addition_r, '')",
                        "toevoeging gelijk",
                        None,
                    ),
                ),
                "postcode, huisnummer en toevoeging gelijk",
                0.70,
            ),
            _label(
                cll.And(cll.ExactMatchLevel("postcode"), number),
                "postcode en huisnummer gelijk, toevoeging anders",
                0.05,
            ),
            _label(
                cll.And(cll.DamerauLevenshteinLevel("postcode", 1), number),
                "postcode met één tikfout, huisnummer gelijk",
                0.02,
            ),
            _label(
                cll.And(cll.ExactMatchLevel("street"), number),
                "straat en huisnummer gelijk, postcode anders",
                0.01,
            ),
            _label(
                cll.And(cll.JaroWinklerLevel("street", 0.9), number),
                "straat lijkt (Jaro-Winkler ≥ 0,9), huisnummer gelijk",
                0.01,
            ),
            _label(
                cll.And(cll.ExactMatchLevel("pc4"), number),
                "zelfde wijk (postcodecijfers) en huisnummer",
                0.01,
            ),
            _duckdb(moved, "verhuisd: postcode van een eerder adres", 0.05),
            _label(
                cll.And(cll.ExactMatchLevel("postcode"), cll.NullLevel("house_number")),
                "postcode gelijk, huisnummer ontbreekt",
                0.01,
            ),
            _label(cll.ExactMatchLevel("postcode"), "zelfde postcode, ander huisnummer", 0.02),
            _label(cll.ElseLevel(), "ander adres", 0.12),
        ],
    )


def prediction_blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """The pairs the model scores: those agreeing on at least one of these.

    Each rule catches the true pairs the others lose to one kind of difference: the
    address (whatever the names and dates), the birth date with the surname's first
    letter or the first name (a typo or a changed surname), the surname with the
    birth year (a typo in the date, a move), the full name (date and address both
    different), the birth date within the neighbourhood (names swapped or
    misspelled), the surname within the neighbourhood, the street with the house
    number in the region or with the surname's first letter (a postcode typo or
    none), and the surname at an earlier postcode. None joins on a value that a large share of records
    share, so the pairs stay few: bench/linkage.py counts them for a million a side.
    """
    return [
        block_on("postcode", "house_number"),
        block_on("birth_date", "substr(surname, 1, 1)"),
        block_on("surname", "birth_year"),
        block_on("surname_full", "first_name"),
        block_on("first_name", "birth_date"),
        block_on("birth_date", "pc4"),
        block_on("surname", "pc4"),
        # Within the region (the postcode's first two digits): street names recur
        # from village to village, "Kerkstraat 1" hundreds of times in the country.
        block_on("street", "house_number", "substr(postcode, 1, 2)"),
        block_on("street", "house_number", "substr(surname, 1, 1)"),
        # A partner that still has the old address of someone who moved: the surname
        # at any postcode the person is known at.
        block_on("postcode_history", "surname", arrays_to_explode=["postcode_history"]),
    ]


def training_blocking_rules() -> list[BlockingRuleCreator]:
    """The pairs expectation maximisation learns from, one round per rule.

    A round cannot learn about the columns its rule fixes, so the rules fix
    different things: the full name (learning birth date and address), then the birth
    date (learning names and address). Neither fixes the address: pairs from one
    address are mostly members of one household, who agree on surname and address
    but are different people, and the rounds would learn "a household" instead of
    "a person".
    """
    return [block_on("surname", "first_name"), block_on("birth_date")]


def deterministic_rules() -> list[str | BlockingRuleCreator]:
    """Pairs almost surely the same person, to estimate how many pairs match."""
    return [
        block_on("surname", "first_name", "birth_date"),
        block_on("surname", "birth_date", "postcode", "house_number"),
    ]


def linkage_settings() -> SettingsCreator:
    """The untrained model: partner records (left) linked to register persons (right)."""
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            surname_comparison(),
            given_names_comparison(),
            birth_date_comparison(),
            address_comparison(),
        ],
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        # The gamma (level) and weight columns say what decided each pair.
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


def prior_m() -> dict[str, dict[str, float]]:
    """The prior m of every level that has one, by comparison and level label."""
    settings = linkage_settings().create_settings_dict("duckdb")
    return {
        comparison["output_column_name"]: {
            level["label_for_charts"]: level["m_probability"]
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        }
        for comparison in settings["comparisons"]
    }
