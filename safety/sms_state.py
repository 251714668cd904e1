"""What the SMS channel remembers: which webhook deliveries it has already handled, who has
opted out, and the last list of choices offered. Keys only: no number, no message text; and
nothing longer than it is needed."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path

from safety import sqlite_db

SEEN_KEPT_S = 24 * 3600  # Twilio retries within minutes; a day is plenty
CHOICES_KEPT_S = 3600  # as long as Rasa keeps a conversation session going

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_messages (sid TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS opted_out (number_key TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS choices (
    conversation TEXT PRIMARY KEY, payloads TEXT NOT NULL, offered_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS languages (
    conversation TEXT PRIMARY KEY, code TEXT NOT NULL, chosen_at REAL NOT NULL
);
"""


class SmsState:
    def __init__(self, path: Path) -> None:
        self.path = path
        sqlite_db.create(path, SCHEMA)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        """For reads: they take no write lock, so they never queue behind one another."""
        return sqlite_db.connect(self.path)

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction, committed on success."""
        return sqlite_db.transaction(self.path)

    def first_delivery(self, message_sid: str, now: float | None = None) -> bool:
        """Record a webhook delivery; False when this MessageSid was handled before."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute("DELETE FROM seen_messages WHERE seen_at < ?", (now - SEEN_KEPT_S,))
            cursor = db.execute(
                "INSERT OR IGNORE INTO seen_messages (sid, seen_at) VALUES (?, ?)",
                (message_sid, now),
            )
            return cursor.rowcount == 1

    def set_opted_out(self, number_key: str, opted_out: bool) -> None:
        with self._transaction() as db:
            if opted_out:
                db.execute("INSERT OR IGNORE INTO opted_out VALUES (?)", (number_key,))
            else:
                db.execute("DELETE FROM opted_out WHERE number_key = ?", (number_key,))

    def is_opted_out(self, number_key: str) -> bool:
        with self._connect() as db:
            row = db.execute("SELECT 1 FROM opted_out WHERE number_key = ?", (number_key,))
            return row.fetchone() is not None

    def set_menu(self, conversation: str, payloads: list[str], now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute("DELETE FROM choices WHERE offered_at < ?", (now - CHOICES_KEPT_S,))
            if payloads:
                db.execute(
                    "INSERT OR REPLACE INTO choices VALUES (?, ?, ?)",
                    (conversation, json.dumps(payloads), now),
                )
            else:
                db.execute("DELETE FROM choices WHERE conversation = ?", (conversation,))

    def choice(self, conversation: str, text: str, now: float | None = None) -> str | None:
        """The payload a reply such as '2' picks from the last choices offered, if any."""
        if not text.strip().isdigit():
            return None
        now = time.time() if now is None else now
        with self._connect() as db:
            row = db.execute(
                "SELECT payloads FROM choices WHERE conversation = ? AND offered_at >= ?",
                (conversation, now - CHOICES_KEPT_S),
            ).fetchone()
        payloads = json.loads(row[0]) if row else []
        index = int(text.strip()) - 1
        return payloads[index] if 0 <= index < len(payloads) else None

    def set_language(self, conversation: str, code: str, now: float | None = None) -> None:
        """Remember the language chosen in this conversation (as long as a conversation)."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute("DELETE FROM languages WHERE chosen_at < ?", (now - CHOICES_KEPT_S,))
            db.execute(
                "INSERT OR REPLACE INTO languages VALUES (?, ?, ?)", (conversation, code, now)
            )

    def language(self, conversation: str, now: float | None = None) -> str | None:
        now = time.time() if now is None else now
        with self._connect() as db:
            row = db.execute(
                "SELECT code FROM languages WHERE conversation = ? AND chosen_at >= ?",
                (conversation, now - CHOICES_KEPT_S),
            ).fetchone()
        return row[0] if row else None
