"""Callback offers waiting for the person's answers, and how many requests were made.

When the dialogue offers a callback, the channel keeps the offer's triage facts here (and, by
text, the answers so far, which can include a phone number) until the person has finished:
one Fernet token per conversation, gone an hour after its last change, like a conversation
(and wiped with ``secure_delete`` when finished). The request counts hold conversation ids
and times only, for the limits.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from safety import sqlite_db

DRAFT_KEPT_S = 3600  # as long as Rasa keeps a conversation going
REQUESTS_KEPT_S = 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    conversation TEXT PRIMARY KEY,
    payload BLOB NOT NULL,        -- Fernet token of the draft (facts and answers so far)
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    conversation TEXT NOT NULL,
    at REAL NOT NULL
);
"""


class CallbackDrafts:
    def __init__(self, path: Path, fernet: Fernet) -> None:
        self.path = path
        self.fernet = fernet
        sqlite_db.create(path, SCHEMA)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction, committed on success."""
        return sqlite_db.transaction(self.path)

    def _expire(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM drafts WHERE updated_at < ?", (now - DRAFT_KEPT_S,))
        db.execute("DELETE FROM requests WHERE at < ?", (now - REQUESTS_KEPT_S,))

    def put(self, conversation: str, draft: dict, now: float | None = None) -> None:
        now = time.time() if now is None else now
        token = self.fernet.encrypt(json.dumps(draft).encode())
        with self._connect() as db:
            self._expire(db, now)
            db.execute("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)", (conversation, token, now))

    def get(self, conversation: str, now: float | None = None) -> dict | None:
        """The conversation's draft, or None (none, expired, or not readable with this key)."""
        now = time.time() if now is None else now
        with self._connect() as db:
            self._expire(db, now)
            row = db.execute(
                "SELECT payload FROM drafts WHERE conversation = ?", (conversation,)
            ).fetchone()
        if row is None:
            return None
        try:
            return json.loads(self.fernet.decrypt(row[0]))
        except InvalidToken:
            return None  # the data key was changed: the offer is simply gone

    def drop(self, conversation: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM drafts WHERE conversation = ?", (conversation,))

    def note_request(self, conversation: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._connect() as db:
            db.execute("INSERT INTO requests (conversation, at) VALUES (?, ?)", (conversation, now))

    def requests_since(self, since: float, conversation: str | None = None) -> int:
        """Requests made since ``since``, by one conversation or by everyone."""
        query, params = "SELECT count(*) FROM requests WHERE at >= ?", [since]
        if conversation is not None:
            query += " AND conversation = ?"
            params.append(conversation)
        with self._connect() as db:
            return db.execute(query, params).fetchone()[0]
