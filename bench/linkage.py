"""Record linkage at scale: a million partner records against a million persons, on DuckDB.

    .venv/bin/python bench/linkage.py --persons 1000000 --partner 1000000 --keep

Writes var/bench/linkage-<persons>-<partner>-<seed>-{persons,partner,truth}.parquet
(with --keep: reuses them, and leaves them for the next run): a synthetic Dutch region
with households (a surname, an address, one to five people), common and rare
surnames with their voorvoegsels, one to three given names, birth dates from 1930 to
2008, and 8% of people who moved (the register keeps their old postcode). The partner
file describes `--matched` of its records from register people, with the differences
of klantocratie/linkage/dutch_testset.py (voorvoegsel, initials, typos, date swaps,
house-number additions, the old address of a mover), and the rest are people the
register does not hold.

Then, each in a fresh process so that its peak memory is its own:
(a) normalising both sides (what train and predict each do first);
(b) train: the prior, u by sampling, m by two rounds of expectation maximisation;
(c) predict at probability 0.5, streamed in batches, and the best person per partner
    record: pairs above 0.5 and 0.99, automatic links (at least 0.99 and no runner-up
    within the margin), ambiguous records, and precision and recall against the truth.
Reported: wall time per phase, the number of compared pairs, peak RSS (DuckDB runs
inside the process), DuckDB's threads and memory limit.
"""

import argparse
import multiprocessing
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from klantocratie.linkage.dutch_testset import (  # noqa: E402
    MOVED,
    PERSON_FIELDS,
    STANDARD_FIELDS,
    move,
    partner_version,
)

COMMON_SURNAMES = [
    ("Jong", "de"), ("Jansen", None), ("Vries", "de"), ("Berg", "van den"), ("Dijk", "van"),
    ("Bakker", None), ("Janssen", None), ("Visser", None), ("Smit", None), ("Meijer", None),
    ("Boer", "de"), ("Mulder", None), ("Groot", "de"), ("Bos", None), ("Vos", None),
    ("Peters", None), ("Hendriks", None), ("Leeuwen", "van"), ("Dekker", None),
    ("Brouwer", None), ("Wit", "de"), ("Dijkstra", None), ("Smits", None), ("Graaf", "de"),
    ("Meer", "van der"), ("Linden", "van der"), ("Kok", None), ("Jacobs", None),
    ("Haan", "de"), ("Vermeulen", None), ("Heuvel", "van den"), ("Veen", "van der"),
    ("Broek", "van den"), ("Bruijn", "de"), ("Bruin", "de"), ("Heijden", "van der"),
    ("Schouten", None), ("Beek", "van"), ("Willems", None), ("Vliet", "van"),
    ("Ven", "van de"), ("Hoekstra", None), ("Maas", None), ("Verhoeven", None),
    ("Koster", None), ("Dam", "van"), ("Wal", "van der"), ("Prins", None), ("Blom", None),
    ("Huisman", None), ("Peeters", None), ("Jonge", "de"), ("Kuipers", None),
    ("Veen", "van"), ("Post", None), ("Kuiper", None), ("Veenstra", None), ("Kramer", None),
    ("Brink", "van den"), ("Scholten", None), ("Wijk", "van"), ("Postma", None),
    ("Martens", None), ("Vink", None), ("Ruiter", "de"), ("Timmermans", None),
    ("Groen", None), ("Gerritsen", None), ("Jonker", None), ("Loon", "van"),
    ("Velde", "van der"), ("Willemsen", None), ("Smeets", None), ("Lange", "de"),
    ("Bosch", None), ("Dongen", "van"), ("Schipper", None), ("Koning", "de"),
    ("Laan", "van der"), ("Driessen", None), ("Doorn", "van"), ("Hermans", None),
    ("Evers", None), ("Bosch", "van den"), ("Meulen", "van der"), ("Hofman", None),
    ("Bosman", None), ("Wolters", None), ("Sanders", None), ("Horst", "van der"),
    ("Mol", None), ("Kuijpers", None), ("Molenaar", None), ("Pol", "van de"),
    ("Leeuw", "de"), ("Verbeek", None), ("Haar", "ter"), ("Brake", "ten"), ("Hart", "'t"),
]  # fmt: skip
SURNAME_PARTS = [
    "ber",
    "bos",
    "dijk",
    "hout",
    "kamp",
    "vel",
    "wil",
    "zand",
    "broek",
    "mol",
    "hof",
    "ter",
    "aal",
    "beek",
    "bree",
    "dal",
    "eng",
    "gaal",
    "ham",
    "hees",
    "horst",
    "kes",
    "lin",
    "loo",
    "mees",
    "nij",
    "oost",
    "pas",
    "ree",
    "rijn",
    "sloot",
    "stee",
    "tim",
    "vaart",
    "ween",
    "wolt",
    "zwaan",
    "brug",
    "kaag",
    "lier",
]
SURNAME_ENDS = [
    "man",
    "ink",
    "sma",
    "stra",
    "huis",
    "kamp",
    "veld",
    "berg",
    "dijk",
    "er",
    "ing",
    "se",
    "sen",
    "hof",
    "huizen",
    "ma",
]
FIRST_NAMES = [
    "Jan",
    "Johannes",
    "Maria",
    "Cornelis",
    "Hendrik",
    "Willem",
    "Pieter",
    "Anna",
    "Johanna",
    "Gerrit",
    "Jacobus",
    "Petrus",
    "Adrianus",
    "Elisabeth",
    "Wilhelmina",
    "Hendrika",
    "Cornelia",
    "Dirk",
    "Jacob",
    "Albert",
    "Theodorus",
    "Antonius",
    "Catharina",
    "Margaretha",
    "Geertruida",
    "Helena",
    "Josephus",
    "Franciscus",
    "Martinus",
    "Bernardus",
    "Daan",
    "Sem",
    "Noah",
    "Liam",
    "Lucas",
    "Finn",
    "Levi",
    "Luuk",
    "Milan",
    "Bram",
    "Thijs",
    "Jesse",
    "Lars",
    "Ruben",
    "Tim",
    "Stijn",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Nova",
    "Anna",
    "Evi",
    "Lotte",
    "Fleur",
    "Eva",
    "Lisa",
    "Noor",
    "Saar",
    "Sanne",
    "Femke",
    "Anouk",
    "Iris",
    "Esther",
    "Marieke",
    "Ingrid",
    "Monique",
    "Sandra",
    "Karin",
    "Linda",
    "Petra",
    "Wendy",
    "Mark",
    "Erik",
    "Peter",
    "Martijn",
    "Jeroen",
    "Dennis",
    "Sander",
    "Bas",
    "Rob",
    "Kees",
    "Henk",
    "Gerard",
    "Frank",
    "Hans",
    "Ahmed",
    "Mohamed",
    "Fatima",
    "Yusuf",
    "Aylin",
    "Mehmet",
    "Priya",
    "Wei",
    "Olga",
    "Piotr",
    "Ana",
    "Kofi",
]
STREET_STEMS = [
    "Kerk",
    "Dorps",
    "School",
    "Molen",
    "Stations",
    "Mark",
    "Kastanje",
    "Eiken",
    "Beuken",
    "Linden",
    "Berken",
    "Wilgen",
    "Iepen",
    "Esdoorn",
    "Vlier",
    "Hazel",
    "Rozen",
    "Tulpen",
    "Lelie",
    "Narcis",
    "Violen",
    "Anjer",
    "Seringen",
    "Jasmijn",
    "Hoog",
    "Laag",
    "Nieuwe",
    "Oude",
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Brink",
    "Haven",
    "Sluis",
    "Dijk",
    "Veld",
    "Heide",
    "Bos",
    "Akker",
    "Weide",
    "Beek",
    "Kanaal",
    "Vaart",
    "Stein",
    "Oranje",
    "Nassau",
    "Willem",
    "Juliana",
    "Beatrix",
    "Wilhelmina",
    "Emma",
    "Hendrik",
    "Rembrandt",
    "Vermeer",
    "Vondel",
    "Bilderdijk",
    "Tollens",
    "Multatuli",
    "Erasmus",
    "Spinoza",
    "Huygens",
    "Lorentz",
    "Thorbecke",
    "Troelstra",
    "Drees",
    "Schaep",
    "Koe",
    "Paarden",
    "Smeden",
    "Bakkers",
    "Vissers",
    "Schippers",
    "Wevers",
    "Kuipers",
    "Touw",
    "Zeil",
    "Anker",
    "Boei",
    "Duin",
    "Strand",
    "Zee",
    "Lange",
    "Korte",
    "Brede",
    "Smalle",
]
STREET_ENDS = ["straat", "weg", "laan", "plein", "kade", "singel", "hof", "dreef", "pad", "steeg"]
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"

# People per household, as the CBS counts them roughly.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5)
HOUSEHOLD_WEIGHTS = (0.38, 0.33, 0.12, 0.12, 0.05)
# The share of people bearing one of the hundred commonest surnames.
COMMON_SHARE = 0.15
THRESHOLDS = (0.5, 0.99)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Region:
    """Draws names, dates and addresses; the same seed gives the same region."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # Flattened Zipf curves: the commonest surname ("de Jong") about 0.5% of
        # people, the commonest first name about 2%, as in the Netherlands.
        self.common_weights = [1 / (rank + 20) for rank in range(len(COMMON_SURNAMES))]
        self.first_weights = [1 / (rank + 20) for rank in range(len(FIRST_NAMES))]
        self.postcodes: list[tuple[str, str]] = []  # (postcode, street)
        for pc4 in rng.sample(range(1000, 10000), 1000):
            for _ in range(30):
                letters = rng.choice(LETTERS) + rng.choice(LETTERS)
                street = rng.choice(STREET_STEMS) + rng.choice(STREET_ENDS)
                self.postcodes.append((f"{pc4}{letters}", street))

    def surname(self) -> tuple[str, str | None]:
        rng = self.rng
        if rng.random() < COMMON_SHARE:
            return rng.choices(COMMON_SURNAMES, self.common_weights)[0]
        parts = rng.choice(SURNAME_PARTS) + rng.choice(SURNAME_PARTS) + rng.choice(SURNAME_ENDS)
        prefix = (
            rng.choice(("van", "de", "van der", "van den", "ter")) if rng.random() < 0.15 else None
        )
        return parts.capitalize(), prefix

    def given_names(self) -> str:
        count = self.rng.choices((1, 2, 3), (0.45, 0.4, 0.15))[0]
        return " ".join(self.rng.choices(FIRST_NAMES, self.first_weights, k=count))

    def birth_date(self) -> str:
        return f"{self.rng.randrange(1930, 2009)}-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 29):02d}"

    def address(self) -> dict[str, Any]:
        postcode, street = self.rng.choice(self.postcodes)
        addition = self.rng.choice(("a", "b", "1", "2", "bis")) if self.rng.random() < 0.1 else None
        return {
            "postcode": postcode,
            "house_number": str(self.rng.randrange(1, 300)),
            "house_number_addition": addition,
            "street": street,
            "city": None,
        }

    def person(self, surname: tuple[str, str | None], home: dict[str, Any]) -> dict[str, Any]:
        return {
            "surname": surname[0],
            "surname_prefix": surname[1],
            "given_names": self.given_names(),
            "birth_date": self.birth_date(),
            **home,
            "previous_postcodes": [],
        }


def _table(records: list[dict[str, Any]], fields: tuple[str, ...]) -> pa.Table:
    schema = pa.schema(
        [(f, pa.list_(pa.string()) if f == "previous_postcodes" else pa.string()) for f in fields]
    )
    return pa.table({f: [r.get(f) for r in records] for f in fields}, schema=schema)


def generate(persons: int, partner: int, matched: float, seed: int, paths: dict[str, Path]) -> None:
    rng = random.Random(seed)
    region = Region(rng)
    people: list[dict[str, Any]] = []
    while len(people) < persons:
        surname, home = region.surname(), region.address()
        for _ in range(rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS)[0]):
            people.append(region.person(surname, home))
    del people[persons:]
    for number, person in enumerate(people):
        person["unique_id"] = f"p{number:07d}"
    described = rng.sample(range(persons), round(partner * matched))
    records, truth = [], []
    for number, index in enumerate(described):
        partner_id = f"r{number:07d}"
        records.append(partner_version(people[index], rng, partner_id))
        truth.append((partner_id, people[index]["unique_id"]))
        if rng.random() < MOVED:
            people[index] = move(people[index], region.address())
    for number in range(len(described), partner):
        stranger = region.person(region.surname(), region.address())
        records.append(partner_version(stranger, rng, f"r{number:07d}"))
    pq.write_table(_table(people, PERSON_FIELDS), paths["persons"])
    pq.write_table(_table(records, STANDARD_FIELDS), paths["partner"])
    pq.write_table(
        pa.table({"partner_id": [p for p, _ in truth], "person_id": [q for _, q in truth]}),
        paths["truth"],
    )


def normalise_run(paths: dict[str, str]) -> dict[str, Any]:
    from klantocratie.linkage.normalise import normalise_records

    partner, persons = pq.read_table(paths["partner"]), pq.read_table(paths["persons"])
    started = time.perf_counter()
    normalise_records(partner)
    normalise_records(persons)
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": _peak_rss_mb()}


def train_run(paths: dict[str, str]) -> dict[str, Any]:
    import duckdb

    from klantocratie.linkage.engine import train

    limit, threads = (
        duckdb.connect()
        .execute("SELECT current_setting('memory_limit'), current_setting('threads')")
        .fetchone()
    )
    partner, persons = pq.read_table(paths["partner"]), pq.read_table(paths["persons"])
    started = time.perf_counter()
    model = train(partner, persons)
    return {
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": _peak_rss_mb(),
        "model": model,
        "memory_limit": limit,
        "threads": threads,
    }


def predict_run(paths: dict[str, str], model: Any) -> dict[str, Any]:
    from klantocratie.linkage.engine import best_candidates, predict

    partner, persons = pq.read_table(paths["partner"]), pq.read_table(paths["persons"])
    truth_table = pq.read_table(paths["truth"])
    truth = set(
        zip(
            truth_table["partner_id"].to_pylist(), truth_table["person_id"].to_pylist(), strict=True
        )
    )
    started = time.perf_counter()
    above = dict.fromkeys(THRESHOLDS, 0)
    true_above = dict.fromkeys(THRESHOLDS, 0)

    def counted(candidates: Any) -> Any:
        for candidate in candidates:
            for threshold in THRESHOLDS:
                if candidate.match_probability >= threshold:
                    above[threshold] += 1
                    true_above[threshold] += (candidate.partner_id, candidate.person_id) in truth
            yield candidate

    chosen = best_candidates(
        counted(predict(model, partner, persons, threshold_probability=min(THRESHOLDS)))
    )
    seconds = time.perf_counter() - started
    automatic = [
        c.candidate
        for c in chosen
        if not c.ambiguous and c.candidate.match_probability >= max(THRESHOLDS)
    ]
    correct = sum((c.partner_id, c.person_id) in truth for c in automatic)
    best_correct = sum((c.candidate.partner_id, c.candidate.person_id) in truth for c in chosen)
    return {
        "seconds": seconds,
        "peak_rss_mb": _peak_rss_mb(),
        "above": above,
        "true_above": true_above,
        "partner_records_with_candidate": len(chosen),
        "best_correct": best_correct,
        "ambiguous": sum(c.ambiguous for c in chosen),
        "automatic": len(automatic),
        "automatic_correct": correct,
        "true_pairs": len(truth),
    }


def _in_fresh_process(function: Any, *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--partner", type=int, default=1_000_000)
    parser.add_argument(
        "--matched", type=float, default=0.8, help="share of partner records with a true person"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="reuse and keep the Parquet files")
    args = parser.parse_args()

    directory = ROOT / "var" / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"linkage-{args.persons}-{args.partner}-{args.seed}-{args.matched}"
    paths = {kind: directory / f"{stem}-{kind}.parquet" for kind in ("persons", "partner", "truth")}
    if args.keep and all(path.exists() for path in paths.values()):
        print(f"region: {directory}/{stem}-*.parquet (kept from an earlier run)")
    else:
        started = time.perf_counter()
        generate(args.persons, args.partner, args.matched, args.seed, paths)
        print(
            f"region: {directory}/{stem}-*.parquet, written in {time.perf_counter() - started:.1f} s"
        )
    print(
        f"{args.persons:,} persons, {args.partner:,} partner records "
        f"({args.matched:.0%} about a register person); {os.cpu_count()} cores"
    )
    as_text = {kind: str(path) for kind, path in paths.items()}
    try:
        normalised = _in_fresh_process(normalise_run, as_text)
        trained = _in_fresh_process(train_run, as_text)
        predicted = _in_fresh_process(predict_run, as_text, trained["model"])
    finally:
        if not args.keep:
            for path in paths.values():
                path.unlink(missing_ok=True)

    model = trained["model"]
    print(
        f"\nDuckDB: threads {trained['threads']}, memory_limit {trained['memory_limit']}; "
        f"model {model.version}, prior {model.settings['probability_two_random_records_match']:.3g}"
    )
    print("\n| phase | wall time | peak RSS |")
    print("| --- | --- | --- |")
    print(
        f"| (a) normalise both sides | {normalised['seconds']:.1f} s | {normalised['peak_rss_mb']:,.0f} MB |"
    )
    print(
        f"| (b) train (normalising included) | {trained['seconds']:.1f} s | {trained['peak_rss_mb']:,.0f} MB |"
    )
    print(
        f"| (c) predict ≥ {min(THRESHOLDS)} and best person per record | {predicted['seconds']:.1f} s "
        f"| {predicted['peak_rss_mb']:,.0f} MB |"
    )
    print(f"| train + predict | {trained['seconds'] + predicted['seconds']:.1f} s | |")
    print(
        f"\ncompared pairs (blocking rules, estimated from a sample): {model.trained_on['comparisons']:,}"
    )
    for threshold in THRESHOLDS:
        total, right = predicted["above"][threshold], predicted["true_above"][threshold]
        print(f"pairs ≥ {threshold}: {total:,} ({right:,} true)")
    truth = predicted["true_pairs"]
    print(
        f"partner records with a candidate: {predicted['partner_records_with_candidate']:,}; "
        f"best person right: {predicted['best_correct']:,} of {truth:,} true pairs; "
        f"ambiguous: {predicted['ambiguous']:,}"
    )
    automatic, correct = predicted["automatic"], predicted["automatic_correct"]
    print(
        f"automatic (≥ {max(THRESHOLDS)}, not ambiguous): {automatic:,}, precision "
        f"{correct / max(automatic, 1):.4f}, recall {correct / max(truth, 1):.4f}"
    )


if __name__ == "__main__":
    main()
