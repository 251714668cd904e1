"""Texts waiting to be sent at a time someone chose, kept encrypted and sent exactly once.

Each text moves through these states::

    pending --claim--> taken --accepted by the gateway--> sent
       |                 |  \\--refused for good--------> failed
       |                 \\--worker died, lease ran out--> (reconciled, see below)
       \\--its safe time passed--------------------------> expired

Claiming is one transaction, so two workers never take the same text. The number and the
words are encrypted (Fernet) while waiting, and wiped, with the keyed hash of the number, the
moment a text leaves 'pending'/'taken' (with SQLite's secure_delete, so the old bytes are
overwritten, not just unlinked).

Exactly once: a worker can die after the gateway accepted a text but before it wrote 'sent'.
A claim is therefore a lease. When it runs out, the next worker first asks the gateway whether
it already holds that text (same number and words, created since the claim) and only sends
when it does not. The lease must be longer than the gateway call's timeout, so a slow call has
always finished, one way or the other, before anyone reconciles it.

A text is never sent after its latest safe time: a text arriving when the person said it
would not be safe could put them at risk, so it expires instead.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken

from safety import sqlite_db

PENDING, TAKEN, SENT, FAILED, EXPIRED = "pending", "taken", "sent", "failed", "expired"
FINISHED_KEPT_S = 24 * 3600  # finished rows hold no personal data; they go after a day

SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_texts (
    id INTEGER PRIMARY KEY,
    number_key TEXT NOT NULL,     -- keyed hash of the number, for limits; '' once finished
    payload BLOB,                 -- Fernet token of {"to", "body"}; NULL once finished
    send_after REAL NOT NULL,
    latest REAL NOT NULL,         -- after this it is no longer a safe time to text
    state TEXT NOT NULL,
    claimed_at REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    finished_at REAL
);
CREATE INDEX IF NOT EXISTS pending_texts_state ON pending_texts (state, send_after);
"""


# Ending a text's life: how it ended, and nothing left of the number or the words.
WIPE = "UPDATE pending_texts SET state = ?, payload = NULL, number_key = '', finished_at = ?"


class RefusedForGood(Exception):
    """The gateway refused the text and retrying cannot help (for example a bad number)."""


class Gateway(Protocol):
    def send(self, to: str, body: str) -> None:
        """Hand the text over; raise :class:`RefusedForGood` or any other error."""

    def already_has(self, to: str, body: str, since: float) -> bool:
        """Whether the gateway accepted this text (same number and words) since ``since``."""


@dataclass(frozen=True)
class Claim:
    id: int
    to: str
    body: str
    claimed_at: float
    latest: float


@dataclass
class RunReport:
    sent: int = 0
    reconciled: int = 0
    failed: int = 0
    expired: int = 0
    left_taken: int = 0


class HandoffStore:
    def __init__(self, path: Path, fernet: Fernet) -> None:
        self.path = path
        self.fernet = fernet
        sqlite_db.create(path, SCHEMA)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_db.connect(self.path)

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_db.transaction(self.path)

    def add(self, to: str, body: str, number_key: str, send_after: float, latest: float) -> int:
        payload = self.fernet.encrypt(json.dumps({"to": to, "body": body}).encode())
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO pending_texts (number_key, payload, send_after, latest, state,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (number_key, payload, send_after, latest, PENDING, time.time()),
            )
            return int(cursor.lastrowid)

    def waiting_for(self, number_key: str) -> int:
        """How many texts are waiting for this number."""
        with self._connect() as db:
            row = db.execute(
                "SELECT count(*) FROM pending_texts WHERE number_key = ? AND state IN (?, ?)",
                (number_key, PENDING, TAKEN),
            ).fetchone()
        return row[0]

    def added_since(self, since: float) -> int:
        """How many texts were asked for since ``since`` (for the service-wide cap)."""
        with self._connect() as db:
            row = db.execute(
                "SELECT count(*) FROM pending_texts WHERE created_at >= ?", (since,)
            ).fetchone()
        return row[0]

    def state(self, text_id: int) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT state FROM pending_texts WHERE id = ?", (text_id,)).fetchone()
        return row["state"] if row else None

    def _open(self, db: sqlite3.Connection, rows: list[sqlite3.Row], now: float) -> list[Claim]:
        """Decrypt claimed rows. One that cannot be read (the key was changed) can never be
        sent: it is wiped as failed rather than tried for ever."""
        claims = []
        for row in rows:
            try:
                data = json.loads(self.fernet.decrypt(row["payload"]))
            except InvalidToken:
                db.execute(WIPE + " WHERE id = ?", (FAILED, now, row["id"]))
                continue
            claims.append(Claim(row["id"], data["to"], data["body"], now, row["latest"]))
        return claims

    def claim_due(self, now: float) -> list[Claim]:
        """Take every text whose time has come (pending -> taken), in one transaction."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT * FROM pending_texts WHERE state = ? AND send_after <= ? AND latest >= ?",
                (PENDING, now, now),
            ).fetchall()
            claims = self._open(db, rows, now)
            db.executemany(
                "UPDATE pending_texts SET state = ?, claimed_at = ?, attempts = attempts + 1"
                " WHERE id = ?",
                [(TAKEN, now, claim.id) for claim in claims],
            )
        return claims

    def reclaim_stale(self, now: float, lease_s: float) -> list[tuple[Claim, float]]:
        """Take over texts whose claim ran out (its worker died mid-way).

        Returns each new claim with the time of the claim it replaces: the gateway is asked
        about anything since then before the text may be sent again.
        """
        with self._transaction() as db:
            rows = db.execute(
                "SELECT * FROM pending_texts WHERE state = ? AND claimed_at < ?",
                (TAKEN, now - lease_s),
            ).fetchall()
            previous = {row["id"]: row["claimed_at"] for row in rows}
            claims = self._open(db, rows, now)
            db.executemany(
                "UPDATE pending_texts SET claimed_at = ?, attempts = attempts + 1 WHERE id = ?",
                [(now, claim.id) for claim in claims],
            )
        return [(claim, previous[claim.id]) for claim in claims]

    def finish(self, text_id: int, state: str) -> None:
        """End a text's life: record how it ended and wipe the number and words."""
        with self._transaction() as db:
            db.execute(WIPE + " WHERE id = ?", (state, time.time(), text_id))

    def expire_overdue(self, now: float) -> int:
        """Pending texts whose safe time has passed are never sent."""
        with self._transaction() as db:
            cursor = db.execute(
                WIPE + " WHERE state = ? AND latest < ?", (EXPIRED, now, PENDING, now)
            )
            return cursor.rowcount

    def purge_finished(self, now: float, keep_s: float = FINISHED_KEPT_S) -> None:
        with self._transaction() as db:
            db.execute(
                "DELETE FROM pending_texts WHERE finished_at IS NOT NULL AND finished_at < ?",
                (now - keep_s,),
            )


def _send(store: HandoffStore, gateway: Gateway, claim: Claim, report: RunReport) -> None:
    try:
        gateway.send(claim.to, claim.body)
    except RefusedForGood:
        store.finish(claim.id, FAILED)
        report.failed += 1
        return
    except Exception:
        # We cannot know whether the gateway got it: the claim stays, and runs out, and the
        # next run reconciles it with the gateway.
        report.left_taken += 1
        return
    store.finish(claim.id, SENT)
    report.sent += 1


def run_once(store: HandoffStore, gateway: Gateway, now: float, lease_s: float) -> RunReport:
    """One pass of the worker: recover dead claims, drop overdue texts, send due ones."""
    report = RunReport()
    for claim, previous_claim in store.reclaim_stale(now, lease_s):
        try:
            delivered = gateway.already_has(claim.to, claim.body, since=previous_claim)
        except Exception:
            delivered = None  # the gateway cannot be asked now
        if delivered:
            store.finish(claim.id, SENT)
            report.reconciled += 1
        elif now > claim.latest:
            # Too late to send, whether or not the gateway could answer: wipe it.
            store.finish(claim.id, EXPIRED)
            report.expired += 1
        elif delivered is None:
            report.left_taken += 1  # keep the claim; ask again when it runs out
        else:
            _send(store, gateway, claim, report)
    report.expired += store.expire_overdue(now)
    for claim in store.claim_due(now):
        _send(store, gateway, claim, report)
    store.purge_finished(now)
    return report
