"""Referrals waiting for the One Front Door team, kept encrypted, with an audit log.

The whole referral (facts, safe contact, summary, referrer) is one Fernet token. Only what the
queue needs to order and show referrals without opening them is kept in clear: tier, source,
state, who claimed it, the outcome and times. Nothing in clear says who the person is.

Every view and change is written to the audit log (who, when, what) in the same transaction.

Retention: a referral is deleted ``retention_days`` after its last change (arriving, a claim,
an outcome; a view is not a change), so a referral someone is still working on is kept, and
one nobody touches goes. ``expires_at`` records that moment at each change; a shorter
retention setting applies at once to referrals already stored. Purging deletes the referral
and strips its audit rows to non-identifying facts (action, who, when, referral id, tier,
outcome).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bot.referrals.db import SYSTEM, Database, audit
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
    updated_at REAL NOT NULL,     -- last change (a view is not a change)
    expires_at REAL NOT NULL      -- updated_at + retention: purged after this
);
CREATE INDEX IF NOT EXISTS referrals_state ON referrals (state, created_at);
CREATE INDEX IF NOT EXISTS referrals_updated ON referrals (updated_at);
"""

NEW, CLAIMED, CLOSED = "new", "claimed", "closed"
OPEN_STATES = (NEW, CLAIMED)

# Queue order: highest risk first; a referral whose tier is not known comes last.
TIER_ORDER = {"high": 0, "medium": 1, "standard": 2}
UNKNOWN_TIER_RANK = len(TIER_ORDER)

CONTACTED = "contacted"
REFERRED_TO_SERVICE = "referred_to_service"
MARAC_REFERRAL_MADE = "marac_referral_made"
COULD_NOT_CONTACT_SAFELY = "could_not_contact_safely"
CLOSED_OUTCOME = "closed"
OUTCOMES: dict[str, str] = {
    CONTACTED: "Contacted",
    REFERRED_TO_SERVICE: "Referred to a service",
    MARAC_REFERRAL_MADE: "MARAC referral made",
    COULD_NOT_CONTACT_SAFELY: "Could not contact safely",
    CLOSED_OUTCOME: "Closed",
}
# These end the team's part, so the referral leaves the queue. After 'contacted' or 'could
# not contact safely' there is still something to do, and it stays with its advisor.
CLOSING_OUTCOMES = frozenset({REFERRED_TO_SERVICE, MARAC_REFERRAL_MADE, CLOSED_OUTCOME})
MAX_SERVICE_NAME = 200


class ReferralError(ValueError):
    """A change that cannot be made (the message is for staff, and says why)."""


@dataclass(frozen=True)
class StoredReferral:
    id: int
    risk_tier: str | None
    source: str
    state: str
    claimed_by: str | None
    outcome: str | None
    created_at: float
    updated_at: float
    expires_at: float
    referral: Referral | None = None  # only when opened with get()
    service_name: str | None = None  # the service referred to, only when opened

    def waiting_s(self, now: float) -> float:
        return now - self.created_at


def _encode(referral: Referral) -> bytes:
    return json.dumps(asdict(referral)).encode()


def _decode(data: bytes) -> Referral:
    fields = json.loads(data)
    contact, referrer = fields.pop("contact"), fields.pop("referrer")
    return Referral(
        **{
            key: tuple(value) if isinstance(value, list) else value for key, value in fields.items()
        },
        contact=SafeContact(**contact),
        referrer=Referrer(**referrer) if referrer else None,
    )


_COLUMNS = "id, risk_tier, source, state, claimed_by, outcome, created_at, updated_at, expires_at"


class ReferralStore:
    def __init__(self, path: Path, fernet: Fernet, retention_days: int | None = None) -> None:
        """``retention_days`` defaults to the ``referral_retention_days`` setting."""
        self.db = Database(path, SCHEMA)
        self.fernet = fernet
        days = load_settings().referral_retention_days if retention_days is None else retention_days
        self.retention_s = days * DAY_S

    def add(self, referral: Referral, now: float | None = None) -> int:
        """Store a referral the person (or, for a professional, their client) agreed to share."""
        consented = referral.consent_to_share or (
            referral.referrer is not None and referral.referrer.client_consent
        )
        if not consented:
            raise ValueError("a referral is only stored with the person's consent")
        now = time.time() if now is None else now
        payload = self.fernet.encrypt(_encode(referral))
        with self.db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO referrals (payload, risk_tier, source, created_at, state,"
                " updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (payload, referral.risk_tier, referral.source, now, NEW, now,
                 now + self.retention_s),
            )  # fmt: skip
            referral_id = int(cursor.lastrowid)
            audit(db, now, SYSTEM, "received", referral_id=referral_id,
                  risk_tier=referral.risk_tier)  # fmt: skip
        return referral_id

    def queue(self) -> list[StoredReferral]:
        """Open referrals: highest tier first, then the longest waiting. Nothing is decrypted."""
        with self.db.connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM referrals WHERE state IN (?, ?)", OPEN_STATES
            ).fetchall()
        entries = [StoredReferral(**dict(row)) for row in rows]
        return sorted(
            entries,
            key=lambda e: (TIER_ORDER.get(e.risk_tier or "", UNKNOWN_TIER_RANK), e.created_at),
        )

    def recently_closed(self, limit: int = 50) -> list[StoredReferral]:
        with self.db.connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM referrals WHERE state = ? ORDER BY updated_at DESC"
                " LIMIT ?",
                (CLOSED, limit),
            ).fetchall()
        return [StoredReferral(**dict(row)) for row in rows]

    def get(self, referral_id: int, actor: str, now: float | None = None) -> StoredReferral | None:
        """Open (decrypt) a referral for ``actor``; the view is audited."""
        now = time.time() if now is None else now
        with self.db.transaction() as db:
            row = db.execute(
                f"SELECT {_COLUMNS}, payload, outcome_detail FROM referrals WHERE id = ?",
                (referral_id,),
            ).fetchone()
            if row is None:
                return None
            audit(db, now, actor, "viewed", referral_id=referral_id, risk_tier=row["risk_tier"])
        fields = dict(row)
        detail = fields.pop("outcome_detail")
        try:
            referral = _decode(self.fernet.decrypt(fields.pop("payload")))
            service = self.fernet.decrypt(detail).decode() if detail else None
        except InvalidToken:
            raise ReferralError(
                "This referral cannot be opened: it was stored under a different data key."
            ) from None
        return StoredReferral(**fields, referral=referral, service_name=service)

    def _current(self, db: sqlite3.Connection, referral_id: int) -> sqlite3.Row:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM referrals WHERE id = ?", (referral_id,)
        ).fetchone()
        if row is None:
            raise ReferralError("There is no such referral (it may have been deleted).")
        return row

    def claim(self, referral_id: int, actor: str, now: float | None = None) -> None:
        """``actor`` takes the referral on; taking it over from a colleague is allowed and
        audited with the colleague's name."""
        now = time.time() if now is None else now
        with self.db.transaction() as db:
            row = self._current(db, referral_id)
            if row["state"] == CLOSED:
                raise ReferralError("This referral is closed.")
            if row["claimed_by"] == actor:
                return
            db.execute(
                "UPDATE referrals SET state = ?, claimed_by = ?, updated_at = ?, expires_at = ?"
                " WHERE id = ?",
                (CLAIMED, actor, now, now + self.retention_s, referral_id),
            )
            audit(db, now, actor, "claimed", referral_id=referral_id,
                  risk_tier=row["risk_tier"], subject=row["claimed_by"])  # fmt: skip

    def record_outcome(
        self,
        referral_id: int,
        actor: str,
        outcome: str,
        service_name: str | None = None,
        now: float | None = None,
    ) -> None:
        """Record what happened. Only the advisor holding the referral can; a closing outcome
        takes it off the queue. ``service_name`` (which service it was referred to, chosen by
        the caller from the directory) goes with ``referred_to_service`` only."""
        now = time.time() if now is None else now
        if outcome not in OUTCOMES:
            raise ReferralError("Choose one of the outcomes listed.")
        service_name = (service_name or "").strip() or None
        if (outcome == REFERRED_TO_SERVICE) != (service_name is not None):
            raise ReferralError("Choose the service it was referred to (and only for a referral).")
        if service_name is not None and len(service_name) > MAX_SERVICE_NAME:
            raise ReferralError("That service name is too long.")
        detail = self.fernet.encrypt(service_name.encode()) if service_name else None
        with self.db.transaction() as db:
            row = self._current(db, referral_id)
            if row["state"] == CLOSED:
                raise ReferralError("This referral is closed.")
            if row["claimed_by"] != actor:
                raise ReferralError("Claim this referral before recording an outcome.")
            state = CLOSED if outcome in CLOSING_OUTCOMES else CLAIMED
            db.execute(
                "UPDATE referrals SET state = ?, outcome = ?, outcome_detail = ?, updated_at = ?,"
                " expires_at = ? WHERE id = ?",
                (state, outcome, detail, now, now + self.retention_s, referral_id),
            )
            audit(db, now, actor, "outcome", referral_id=referral_id,
                  risk_tier=row["risk_tier"], outcome=outcome, detail=detail)  # fmt: skip

    def note_text_queued(self, referral_id: int, actor: str, now: float | None = None) -> None:
        """Audit that ``actor`` queued a text to the person (the words are not kept here)."""
        now = time.time() if now is None else now
        with self.db.transaction() as db:
            row = self._current(db, referral_id)
            audit(db, now, actor, "text_queued", referral_id=referral_id,
                  risk_tier=row["risk_tier"])  # fmt: skip

    def purge(self, now: float | None = None) -> int:
        """Delete referrals past retention; their audit rows keep only non-identifying facts.
        Returns how many were deleted."""
        now = time.time() if now is None else now
        with self.db.transaction() as db:
            rows = db.execute(
                "SELECT id, risk_tier, outcome FROM referrals"
                " WHERE expires_at <= ? OR updated_at <= ?",
                (now, now - self.retention_s),
            ).fetchall()
            for row in rows:
                db.execute("DELETE FROM referrals WHERE id = ?", (row["id"],))
                db.execute("UPDATE audit SET detail = NULL WHERE referral_id = ?", (row["id"],))
                audit(db, now, SYSTEM, "purged", referral_id=row["id"],
                      risk_tier=row["risk_tier"], outcome=row["outcome"])  # fmt: skip
        return len(rows)
