"""The referrals database: one SQLite file for referrals, advisor accounts and the audit log.

Every connection turns on ``secure_delete``, so deleted or rewritten rows are overwritten in
the file, not just unlinked. Writers take the lock at the start (``BEGIN IMMEDIATE``) so an
audit row is always written in the same transaction as the change it records.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from safety import sqlite_db

AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    actor TEXT NOT NULL,          -- a staff username, or 'system' (the chat, the purge)
    action TEXT NOT NULL,
    referral_id INTEGER,
    risk_tier TEXT,
    outcome TEXT,
    subject TEXT,                 -- the account or setting an action was about (staff data)
    detail BLOB                   -- Fernet token of more detail; NULL once the referral is purged
);
CREATE INDEX IF NOT EXISTS audit_referral ON audit (referral_id);
"""

SYSTEM = "system"  # the actor for the chat, the professionals' form and the purge


@dataclass(frozen=True)
class AuditEntry:
    at: float
    actor: str
    action: str
    referral_id: int | None
    risk_tier: str | None
    outcome: str | None
    subject: str | None


class Database:
    def __init__(self, path: Path, schema: str) -> None:
        """The shared file with the audit log and the calling store's own ``schema``."""
        self.path = path
        sqlite_db.create(path, AUDIT_SCHEMA + schema)

    def connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_db.connect(self.path)

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_db.transaction(self.path)

    def recent_audit(self, limit: int = 200) -> list[AuditEntry]:
        """The newest audit entries first (they hold nothing that identifies a person)."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT at, actor, action, referral_id, risk_tier, outcome, subject FROM audit"
                " ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [AuditEntry(**dict(row)) for row in rows]


def audit(
    db: sqlite3.Connection,
    now: float,
    actor: str,
    action: str,
    *,
    referral_id: int | None = None,
    risk_tier: str | None = None,
    outcome: str | None = None,
    subject: str | None = None,
    detail: bytes | None = None,
) -> None:
    """Record who did what, when, inside the caller's transaction.

    ``detail`` must already be encrypted: anything about the person goes there, never into the
    clear columns.
    """
    db.execute(
        "INSERT INTO audit (at, actor, action, referral_id, risk_tier, outcome, subject, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (now, actor, action, referral_id, risk_tier, outcome, subject, detail),
    )
