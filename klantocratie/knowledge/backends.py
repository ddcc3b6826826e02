"""Full-text indexes per database: SQLite FTS5 on pre-stemmed text, PostgreSQL ``dutch``.

Both take the same analysed input (see ``text``) and answer the same question: the best
matching search documents for a list of query words, as (document id, score) pairs with
higher scores better. The selectors do not know which database answers.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db import connection

from .text import Vocabulary, index_terms, stem

# Title matches weigh more than body matches: bm25 column weights 4:1 on SQLite, weight A
# for the title on PostgreSQL. The PostgreSQL expression is the one the GIN index covers
# (migration 0002), so the planner uses the index.
SQLITE_CANDIDATES = (
    "SELECT rowid, bm25(knowledge_fts, 4.0, 1.0) AS rank FROM knowledge_fts "
    "WHERE knowledge_fts MATCH %s ORDER BY rank LIMIT %s"
)
POSTGRES_CANDIDATES = (
    "SELECT id, ts_rank(setweight(to_tsvector('dutch', title), 'A') "
    "|| to_tsvector('dutch', index_text), q) AS rank "
    "FROM knowledge_searchdocument, websearch_to_tsquery('dutch', %s) q "
    "WHERE (setweight(to_tsvector('dutch', title), 'A') || to_tsvector('dutch', index_text)) @@ q "
    "ORDER BY rank DESC LIMIT %s"
)


class FullTextBackend(Protocol):
    def replace(self, rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary) -> None:
        """Index (document id, title, text) rows, replacing what was indexed for them."""

    def remove(self, ids: Sequence[int]) -> None: ...

    def clear(self) -> None: ...

    def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]: ...


class SqliteFts5Backend:
    """FTS5 over stems: SQLite has no Dutch stemmer, so the text arrives stemmed."""

    def replace(self, rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary) -> None:
        prepared = [
            (
                doc_id,
                " ".join(index_terms(title, vocabulary)),
                " ".join(index_terms(text, vocabulary)),
            )
            for doc_id, title, text in rows
        ]
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
        stems = dict.fromkeys(stem(word) for word in words)
        # Quoting makes every stem a plain string token, whatever characters it holds.
        return " OR ".join(f'"{s}"' for s in stems if s)

    def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
        expression = self.match_expression(words)
        if not expression:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                SQLITE_CANDIDATES,
                [expression, limit],
            )
            # bm25() is lower-is-better and negative; flip it so higher is better.
            return [(row[0], -row[1]) for row in cursor.fetchall()]


class PostgresDutchBackend:
    """PostgreSQL's own ``dutch`` stemming over the compound-split ``index_text`` column."""

    def replace(self, rows: Iterable[tuple[int, str, str]], vocabulary: Vocabulary) -> None:
        """The GIN index follows ``index_text``, which the services keep up to date."""

    def remove(self, ids: Sequence[int]) -> None:
        """Rows leave the index with their search document."""

    def clear(self) -> None:
        """Rows leave the index with their search document."""

    def query(self, words: Sequence[str]) -> str:
        # websearch syntax: "or" between words, since a question rarely repeats every word.
        return " or ".join(dict.fromkeys(words))

    def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
        query = self.query(words)
        if not query:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                POSTGRES_CANDIDATES,
                [query, limit],
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]


def full_text_backend() -> FullTextBackend:
    if connection.vendor == "postgresql":
        return PostgresDutchBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"Kennisbank zoeken: database {connection.vendor!r} niet ondersteund")
