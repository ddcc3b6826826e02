"""Which rows of a file repeat a key of an earlier row.

A million keys in a Python dict take over 100 MB; kept in a private temporary SQLite
database (spilled to disk beyond a small page cache) they take a few megabytes of
memory whatever the file's size.
"""

from __future__ import annotations

import sqlite3


class SeenKeys:
    """The keys met so far in one file, each with the row it was first on."""

    def __init__(self) -> None:
        # An empty name: a temporary database, deleted when closed.
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._db.execute("CREATE TABLE chunk (row INTEGER, key TEXT)")

    def earlier_rows(self, keyed: list[tuple[int, str]]) -> dict[int, int]:
        """For rows (number, key) in file order: the earlier row of each repeated key.

        The keys not seen before are remembered with their row.
        """
        self._db.executemany("INSERT INTO chunk VALUES (?, ?)", keyed)
        first: dict[str, int] = dict(
            self._db.execute("SELECT seen.key, seen.row FROM chunk JOIN seen USING (key)")
        )
        self._db.execute("DELETE FROM chunk")
        repeats: dict[int, int] = {}
        fresh: list[tuple[str, int]] = []
        for number, key in keyed:
            if key in first:
                repeats[number] = first[key]
            else:
                first[key] = number
                fresh.append((key, number))
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", fresh)
        return repeats

    def close(self) -> None:
        self._db.close()
