"""Referrals waiting for the One Front Door team, kept encrypted, with an audit log.

The whole referral (facts, safe contact, summary, referrer) is one Fernet token. Only what the
queue needs to order and show referrals without opening them is kept in clear: tier, source,
state, who claimed it, the outcome and times. Nothing in clear says who the person is.

Every view and change is written to the audit log (who, when, what), in the same transaction
as the change. SQLite's secure_delete is on, so deleted or rewritten bytes are overwritten,
not just unlinked.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from cryptography.fernet import Fernet

from bot.referrals.record import Referral, Referrer, SafeContact
from bot.settings import load_settings

DAY_S = 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS referrals (
    id INTEGER PRIMARY KEY,
    payload BLOB NOT NULL,        -- Fernet token of the whole Referral
    risk_tier TEXT,               -- NULL when not known
    source TEXT NOT NULL,
    created_at REAL NOT NULL,
    state TEXT NOT NULL,
    claimed_by TEXT,
    outcome TEXT,
    outcome_detail BLOB,          -- Fernet token: the service referred to, if any
    updated_at REAL NOT NULL,     -- last change (not a view)
    expires_at REAL NOT NULL      -- updated_at + retention: purged after this
);
CREATE INDEX IF NOT EXISTS referrals_state ON referrals (state, created_at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    actor TEXT NOT NULL,          -- an advisor's username, or 'system' for the chat and purge
    action TEXT NOT NULL,
    referral_id INTEGER,
    risk_tier TEXT,
    outcome TEXT,
    subject TEXT,                 -- the account or setting an admin action was about
    detail BLOB                   -- Fernet token of anything more; NULL once purged
);
CREATE INDEX IF NOT EXISTS audit_referral ON audit (referral_id);
"""

NEW, CLAIMED, CLOSED = "new", "claimed", "closed"
SYSTEM = "system"  # the actor for the chat, the professionals' form and the purge


def _encode(referral: Referral) -> bytes:
    return json.dumps(asdict(referral)).encode()


def _decode(data: bytes) -> Referral:
    fields = json.loads(data)
    referrer = fields.pop("referrer")
    return Referral(
        **{
            key: tuple(value) if isinstance(value, list) else value
            for key, value in fields.items()
            if key != "contact"
        },
        contact=SafeContact(**fields["contact"]),
        referrer=Referrer(**referrer) if referrer else None,
    )


class ReferralStore:
    def __init__(self, path: Path, fernet: Fernet, retention_days: int | None = None) -> None:
        """``retention_days`` defaults to the ``referral_retention_days`` setting."""
        self.path = path
        self.fernet = fernet
        days = load_settings().referral_retention_days if retention_days is None else retention_days
        self.retention_s = days * DAY_S
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA secure_delete = ON")
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _audit(
        self,
        db: sqlite3.Connection,
        now: float,
        actor: str,
        action: str,
        referral_id: int | None = None,
        risk_tier: str | None = None,
        outcome: str | None = None,
        subject: str | None = None,
        detail: str | None = None,
    ) -> None:
        token = self.fernet.encrypt(detail.encode()) if detail else None
        db.execute(
            "INSERT INTO audit (at, actor, action, referral_id, risk_tier, outcome, subject,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now, actor, action, referral_id, risk_tier, outcome, subject, token),
        )

    def add(self, referral: Referral, now: float | None = None) -> int:
        """Store a referral the person agreed to share; returns its id."""
        consented = referral.consent_to_share or (
            referral.referrer is not None and referral.referrer.client_consent
        )
        if not consented:
            raise ValueError("a referral is only stored with the person's consent")
        now = time.time() if now is None else now
        payload = self.fernet.encrypt(_encode(referral))
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO referrals (payload, risk_tier, source, created_at, state,"
                " updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (payload, referral.risk_tier, referral.source, now, NEW, now,
                 now + self.retention_s),
            )  # fmt: skip
            referral_id = int(cursor.lastrowid)
            self._audit(db, now, SYSTEM, "received", referral_id, referral.risk_tier)
        return referral_id
