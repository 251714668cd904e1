"""Opening the service's small SQLite stores the same way everywhere.

Every store holds personal data for a short time, so every connection turns on
``secure_delete``: deleted rows are overwritten, not just unlinked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def create(path: Path, schema: str) -> None:
    """Make the database file (and its folder) if missing, and its tables if missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as db:
        db.executescript(schema)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode, with rows readable by column name."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA secure_delete = ON")
        yield db
    finally:
        db.close()


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (so two writers never deadlock upgrading a read
    lock), committed when the block ends and rolled back if it raises."""
    with connect(path) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
