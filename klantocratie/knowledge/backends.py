"""Full-text indexes per database: SQLite FTS5 and PostgreSQL full-text search.

Both index the same analysed text: the Dutch Snowball stems of a document's words and
of their compound parts (``text.index_terms``), with the corrections ``text.stem`` adds
where Snowball leaves a verb's forms apart ("verhuisd" and "verhuizen"). PostgreSQL's
own ``dutch`` configuration runs the same Snowball algorithm but without those
corrections or the compound splitting, so it is given the stems and indexes them as
they are (the ``simple`` configuration, a GIN index); SQLite keeps them in an FTS5
table. Either way the selectors get the same candidates for the same question, so
search quality does not depend on the database.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db import connection

from .text import Vocabulary, index_terms, stem

# Title matches weigh more than body matches: bm25 column weights 4:1 on SQLite; on
# PostgreSQL the title is weight A (1.0) and the body 0.35, the ratio that ranked the
# Dutch question set best there (tests/knowledge/search_questions.yaml). The PostgreSQL
# expression is the one the GIN index covers (migration 0002), so the planner uses it.
SQLITE_CANDIDATES = (
    "SELECT rowid, bm25(knowledge_fts, 4.0, 1.0) AS rank FROM knowledge_fts "
    "WHERE knowledge_fts MATCH %s ORDER BY rank LIMIT %s"
)
POSTGRES_VECTOR = "setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', body)"
# Built from the constant above only; the question goes in as a parameter.
POSTGRES_CANDIDATES = (
    f"SELECT id, ts_rank('{{0.35, 0.35, 0.35, 1.0}}', {POSTGRES_VECTOR}, q) AS rank "  # noqa: S608
    "FROM knowledge_fts, to_tsquery('simple', %s) q "
    f"WHERE ({POSTGRES_VECTOR}) @@ q "
    "ORDER BY rank DESC LIMIT %s"
)


def _prepared(
    rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary
) -> list[tuple[int, str, str]]:
    return [
        (
            doc_id,
            " ".join(index_terms(title, vocabulary)),
            " ".join(index_terms(text, vocabulary)),
        )
        for doc_id, title, text in rows
    ]


def _stems(words: Sequence[str]) -> list[str]:
    return [s for s in dict.fromkeys(stem(word) for word in words) if s]


class FullTextBackend(Protocol):
    def replace(self, rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary) -> None:
        """Index (document id, title, text) rows, replacing what was indexed for them."""

    def remove(self, ids: Sequence[int]) -> None: ...

    def clear(self) -> None: ...

    def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]: ...


class SqliteFts5Backend:
    """An FTS5 table of stems, its rowid the search document's id."""

    def replace(self, rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary) -> None:
        prepared = _prepared(rows, vocabulary)
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM knowledge_fts WHERE rowid = %s", [(row[0],) for row in prepared]
            )
            cursor.executemany(
                "INSERT INTO knowledge_fts (rowid, title, body) VALUES (%s, %s, %s)", prepared
            )

    def remove(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM knowledge_fts WHERE rowid = %s", [(i,) for i in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts")

    def match_expression(self, words: Sequence[str]) -> str:
        # Quoting makes every stem a plain string token, whatever characters it holds.
        return " OR ".join(f'"{s}"' for s in _stems(words))

    def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
        expression = self.match_expression(words)
        if not expression:
            return []
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_CANDIDATES, [expression, limit])
            # bm25() is lower-is-better and negative; flip it so higher is better.
            return [(row[0], -row[1]) for row in cursor.fetchall()]


class PostgresFullTextBackend:
    """A table of stems with a GIN index over their text search vector."""

    def replace(self, rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary) -> None:
        prepared = _prepared(rows, vocabulary)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO knowledge_fts (id, title, body) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body",
                prepared,
            )

    def remove(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts WHERE id = ANY(%s)", [list(ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts")

    def query(self, words: Sequence[str]) -> str:
        # Each stem a quoted lexeme, any of them may match: a question rarely repeats
        # every word of its answer.
        quoted = ("'" + s.replace("\\", "\\\\").replace("'", "''") + "'" for s in _stems(words))
        return " | ".join(quoted)

    def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
        query = self.query(words)
        if not query:
            return []
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_CANDIDATES, [query, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]


def full_text_backend() -> FullTextBackend:
    if connection.vendor == "postgresql":
        return PostgresFullTextBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"Kennisbank zoeken: database {connection.vendor!r} niet ondersteund")
