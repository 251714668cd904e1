"""The encrypted referral store: nothing readable on disk, queue order, audit, retention."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.referrals.record import PROFESSIONAL, TEXT, WEB_CHAT, Referral, Referrer, SafeContact
from bot.referrals.store import (
    CLAIMED,
    CLOSED,
    CONTACTED,
    DAY_S,
    NEW,
    REFERRED_TO_SERVICE,
    ReferralError,
    ReferralStore,
)

T0 = 1_800_000_000.0
SAFE_WORD = "Marigoldqx7"
NUMBER = "07700900461"
SUMMARY = "Zebrasummary8841 needs housing"
REFERRER_NAME = "Quillonby Referrer"
SERVICE = "Hertfordshire Domestic Abuse Helpline (HDAH)"
MARKERS = (SAFE_WORD, NUMBER, SUMMARY, REFERRER_NAME)


def marked_referral(**changes: object) -> Referral:
    referral = Referral(
        source=PROFESSIONAL,
        risk_tier="high",
        indicators=("strangulation",),
        needs=("housing", "advocacy_safety"),
        district="Dacorum",
        audience=("woman",),
        language="pl",
        contact=SafeContact(
            method=TEXT, number=NUMBER, times="after 6pm", voicemail_ok=None, safe_word=SAFE_WORD
        ),
        summary=SUMMARY,
        consent_to_share=True,
        referrer=Referrer(REFERRER_NAME, "GP surgery", "GP", "01234 567890", True),
    )
    return replace(referral, **changes)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "referrals.sqlite"


@pytest.fixture
def fernet() -> Fernet:
    return Fernet(Fernet.generate_key())


@pytest.fixture
def store(path: Path, fernet: Fernet) -> ReferralStore:
    return ReferralStore(path, fernet, retention_days=30)


def file_bytes(path: Path) -> bytes:
    """The database and any journal or write-ahead log beside it."""
    parts = [path, *(path.with_name(path.name + s) for s in ("-wal", "-journal", "-shm"))]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def audit_rows(path: Path) -> list[dict]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute("SELECT * FROM audit ORDER BY id")]
    finally:
        db.close()


def test_a_referral_reads_back_whole(store):
    referral = marked_referral()
    referral_id = store.add(referral, now=T0)
    opened = store.get(referral_id, "amy", now=T0 + 5)
    assert opened.referral == referral
    assert (opened.state, opened.risk_tier, opened.source) == (NEW, "high", PROFESSIONAL)
    assert opened.expires_at == T0 + 30 * DAY_S


def test_a_referral_without_consent_is_not_stored(store):
    with pytest.raises(ValueError):
        store.add(marked_referral(consent_to_share=False, referrer=None, source=WEB_CHAT))
    assert store.queue() == []


def test_nothing_identifying_is_readable_in_the_file(store, path):
    referral_id = store.add(marked_referral(), now=T0)
    store.claim(referral_id, "amy", now=T0 + 1)
    store.record_outcome(referral_id, "amy", REFERRED_TO_SERVICE, SERVICE, now=T0 + 2)
    raw = file_bytes(path)
    assert b"referrals" in raw  # the file really is the database
    for marker in (*MARKERS, SERVICE):
        assert marker.encode() not in raw, marker
        assert marker.encode("utf-16-le") not in raw, marker
    # ... yet it is all there, for someone with the key.
    opened = store.get(referral_id, "amy")
    assert opened.referral.contact.safe_word == SAFE_WORD
    assert opened.service_name == SERVICE


def test_the_queue_puts_highest_risk_first_then_longest_waiting(store):
    ids = {
        "standard": store.add(marked_referral(risk_tier="standard"), now=T0 + 1),
        "high_later": store.add(marked_referral(risk_tier="high"), now=T0 + 3),
        "unknown": store.add(marked_referral(risk_tier=None), now=T0),
        "medium": store.add(marked_referral(risk_tier="medium"), now=T0 + 2),
        "high_first": store.add(marked_referral(risk_tier="high"), now=T0 + 2),
        "closed": store.add(marked_referral(risk_tier="high"), now=T0),
    }
    store.claim(ids["closed"], "amy", now=T0 + 4)
    store.record_outcome(ids["closed"], "amy", "closed", now=T0 + 5)
    store.claim(ids["medium"], "amy", now=T0 + 4)  # claimed referrals are still open
    order = [entry.id for entry in store.queue()]
    names = ["high_first", "high_later", "medium", "standard", "unknown"]
    assert order == [ids[name] for name in names]
    assert [entry.id for entry in store.recently_closed()] == [ids["closed"]]


def test_views_and_changes_are_audited(store, path):
    referral_id = store.add(marked_referral(), now=T0)
    store.get(referral_id, "amy", now=T0 + 1)
    store.claim(referral_id, "amy", now=T0 + 2)
    store.record_outcome(referral_id, "amy", CONTACTED, now=T0 + 3)
    store.claim(referral_id, "ben", now=T0 + 4)  # a colleague takes it over
    store.note_text_queued(referral_id, "ben", now=T0 + 5)
    rows = [
        (r["at"], r["actor"], r["action"], r["referral_id"], r["outcome"], r["subject"])
        for r in audit_rows(path)
    ]
    assert rows == [
        (T0, "system", "received", referral_id, None, None),
        (T0 + 1, "amy", "viewed", referral_id, None, None),
        (T0 + 2, "amy", "claimed", referral_id, None, None),
        (T0 + 3, "amy", "outcome", referral_id, CONTACTED, None),
        (T0 + 4, "ben", "claimed", referral_id, None, "amy"),
        (T0 + 5, "ben", "text_queued", referral_id, None, None),
    ]
    assert {r["risk_tier"] for r in audit_rows(path)} == {"high"}


def test_outcomes_need_the_claim_and_closing_ones_close(store):
    referral_id = store.add(marked_referral(), now=T0)
    with pytest.raises(ReferralError):
        store.record_outcome(referral_id, "amy", CONTACTED)  # not claimed yet
    store.claim(referral_id, "amy")
    with pytest.raises(ReferralError):
        store.record_outcome(referral_id, "ben", CONTACTED)  # amy holds it
    with pytest.raises(ReferralError):
        store.record_outcome(referral_id, "amy", "vanished")
    with pytest.raises(ReferralError):
        store.record_outcome(referral_id, "amy", REFERRED_TO_SERVICE)  # which service?
    with pytest.raises(ReferralError):
        store.record_outcome(referral_id, "amy", CONTACTED, service_name=SERVICE)
    store.record_outcome(referral_id, "amy", CONTACTED)
    assert store.get(referral_id, "amy").state == CLAIMED
    store.record_outcome(referral_id, "amy", REFERRED_TO_SERVICE, SERVICE)
    assert store.get(referral_id, "amy").state == CLOSED
    with pytest.raises(ReferralError):
        store.claim(referral_id, "ben")
    with pytest.raises(ReferralError):
        store.claim(999, "ben")


def test_retention_counts_from_the_last_change(store):
    untouched = store.add(marked_referral(), now=T0)
    worked_on = store.add(marked_referral(), now=T0)
    store.claim(worked_on, "amy", now=T0 + 10 * DAY_S)
    store.get(untouched, "amy", now=T0 + 20 * DAY_S)  # a view is not a change
    assert store.purge(now=T0 + 30 * DAY_S - 1) == 0
    assert store.purge(now=T0 + 30 * DAY_S) == 1
    assert store.get(untouched, "amy") is None
    assert store.purge(now=T0 + 40 * DAY_S - 1) == 0
    assert store.purge(now=T0 + 40 * DAY_S) == 1
    assert store.queue() == []


def test_a_shorter_retention_applies_to_referrals_already_stored(path, fernet, store):
    referral_id = store.add(marked_referral(), now=T0)
    shorter = ReferralStore(path, fernet, retention_days=7)
    assert shorter.purge(now=T0 + 7 * DAY_S) == 1
    assert store.get(referral_id, "amy") is None


def test_purge_leaves_only_non_identifying_facts(store, path):
    referral_id = store.add(marked_referral(), now=T0)
    kept_id = store.add(marked_referral(), now=T0 + 20 * DAY_S)
    store.get(referral_id, "amy", now=T0 + 1)
    store.claim(referral_id, "amy", now=T0 + 2)
    store.record_outcome(referral_id, "amy", REFERRED_TO_SERVICE, SERVICE, now=T0 + 3)
    db = sqlite3.connect(path)
    payload, detail = db.execute(
        "SELECT payload, outcome_detail FROM referrals WHERE id = ?", (referral_id,)
    ).fetchone()
    db.close()
    assert payload in file_bytes(path) and detail in file_bytes(path)

    assert store.purge(now=T0 + 31 * DAY_S) == 1

    raw = file_bytes(path)
    # The encrypted referral and service are gone from the file, not just unlinked.
    assert payload not in raw and detail not in raw
    for marker in (*MARKERS, SERVICE):
        assert marker.encode() not in raw, marker
    rows = [r for r in audit_rows(path) if r["referral_id"] == referral_id]
    assert [r["action"] for r in rows] == ["received", "viewed", "claimed", "outcome", "purged"]
    allowed = {
        None,
        T0,
        T0 + 1,
        T0 + 2,
        T0 + 3,
        T0 + 31 * DAY_S,
        "system",
        "amy",
        "received",
        "viewed",
        "claimed",
        "outcome",
        "purged",
        referral_id,
        "high",
        REFERRED_TO_SERVICE,
    }
    for row in rows:
        assert set(row.values()) - {row["id"]} <= allowed, row
    assert store.get(kept_id, "amy").referral == marked_referral()


def test_a_referral_stored_under_another_key_says_so(store, path):
    referral_id = store.add(marked_referral(), now=T0)
    other_key = ReferralStore(path, Fernet(Fernet.generate_key()), retention_days=30)
    with pytest.raises(ReferralError, match="different data key"):
        other_key.get(referral_id, "amy")
    assert [entry.id for entry in other_key.queue()] == [referral_id]  # still listed
