"""Advisor accounts: hashed passwords, lockout, sessions, audit and the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.referrals import accounts
from bot.referrals.accounts import (
    ADMIN,
    ADVISOR,
    LOCKOUT_S,
    MAX_FAILURES,
    SESSION_MAX_S,
    AccountError,
    AccountStore,
)

T0 = 1_800_000_000.0
PASSWORD = "correct horse battery"
IDLE_S = 15 * 60


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "referrals.sqlite"


@pytest.fixture
def store(path: Path) -> AccountStore:
    store = AccountStore(path)
    store.create("amy", PASSWORD, ADVISOR, "boss", now=T0)
    return store


def audit_actions(path: Path) -> list[tuple[str, str, str | None]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT actor, action, subject FROM audit ORDER BY id").fetchall()
    finally:
        db.close()


def test_the_password_is_stored_only_as_a_scrypt_hash(store, path):
    raw = path.read_bytes()
    assert PASSWORD.encode() not in raw
    assert b"scrypt:" in raw
    assert store.authenticate("amy", PASSWORD, now=T0).role == ADVISOR
    assert store.get("amy").last_login == T0


def test_a_wrong_password_or_unknown_user_is_refused(store):
    assert store.authenticate("amy", "not the password", now=T0) is None
    assert store.authenticate("nobody", PASSWORD, now=T0) is None
    assert store.authenticate("amy", "", now=T0) is None


def test_lockout_after_repeated_failures_refuses_even_the_right_password(store):
    for _ in range(MAX_FAILURES - 1):
        assert store.authenticate("amy", "wrong password!", now=T0) is None
    assert store.authenticate("amy", PASSWORD, now=T0) is not None  # success resets the count
    for _ in range(MAX_FAILURES):
        assert store.authenticate("amy", "wrong password!", now=T0) is None
    assert store.get("amy").is_locked(T0)
    assert store.authenticate("amy", PASSWORD, now=T0 + 1) is None
    # Attempts during the lock do not extend it; it lifts when its time is up.
    assert store.authenticate("amy", PASSWORD, now=T0 + LOCKOUT_S - 1) is None
    assert store.authenticate("amy", PASSWORD, now=T0 + LOCKOUT_S) is not None


def test_a_reset_password_lifts_the_lock(store):
    for _ in range(MAX_FAILURES):
        store.authenticate("amy", "wrong password!", now=T0)
    store.reset_password("amy", "a whole new password", "boss", now=T0 + 1)
    assert store.authenticate("amy", PASSWORD, now=T0 + 2) is None
    assert store.authenticate("amy", "a whole new password", now=T0 + 2) is not None


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(store):
    token, _ = store.start_session("amy", now=T0)
    store.set_disabled("amy", True, "boss", now=T0 + 1)
    assert store.authenticate("amy", PASSWORD, now=T0 + 2) is None
    assert store.session(token, IDLE_S, now=T0 + 2) is None
    store.set_disabled("amy", False, "boss", now=T0 + 3)
    assert store.authenticate("amy", PASSWORD, now=T0 + 4) is not None


def test_sessions_end_when_idle_after_a_maximum_and_at_sign_out(store, path):
    token, session = store.start_session("amy", now=T0)
    assert token.encode() not in path.read_bytes()  # only its hash is kept
    assert store.session(token, IDLE_S, now=T0 + IDLE_S).csrf_token == session.csrf_token
    assert store.session(token, IDLE_S, now=T0 + 2 * IDLE_S) is not None  # each use restarts it
    assert store.session(token, IDLE_S, now=T0 + 3 * IDLE_S + 1) is None
    assert store.session(token, IDLE_S, now=T0 + 3 * IDLE_S + 2) is None  # gone for good

    token, _ = store.start_session("amy", now=T0)
    for seconds in range(0, int(SESSION_MAX_S), 600):  # busy all day, never idle
        assert store.session(token, IDLE_S, now=T0 + seconds) is not None
    assert store.session(token, IDLE_S, now=T0 + SESSION_MAX_S + 1) is None

    token, _ = store.start_session("amy", now=T0)
    store.end_session(token)
    assert store.session(token, IDLE_S, now=T0) is None
    assert store.session("made-up", IDLE_S, now=T0) is None


def test_each_sign_in_gets_a_new_session(store):
    first, a = store.start_session("amy", now=T0)
    second, b = store.start_session("amy", now=T0)
    assert first != second and a.csrf_token != b.csrf_token


def test_account_rules(store):
    with pytest.raises(AccountError):
        store.create("amy", PASSWORD, ADVISOR, "boss")  # taken
    with pytest.raises(AccountError):
        store.create("Bad Name", PASSWORD, ADVISOR, "boss")
    with pytest.raises(AccountError):
        store.create("ben", "short", ADVISOR, "boss")
    with pytest.raises(AccountError):
        store.create("ben", PASSWORD, "superuser", "boss")
    with pytest.raises(AccountError):
        store.set_disabled("nobody", True, "boss")
    assert [a.username for a in store.accounts()] == ["amy"]


def test_admin_actions_and_sign_ins_are_audited(store, path):
    store.create("ben", PASSWORD, ADMIN, "boss", now=T0)
    store.set_disabled("ben", True, "boss", now=T0)
    store.set_disabled("ben", False, "boss", now=T0)
    store.reset_password("ben", "another long password", "boss", now=T0)
    store.authenticate("ben", "wrong password!", now=T0)
    store.authenticate("ben", "another long password", now=T0)
    store.authenticate("nobody", "typed into the wrong box", now=T0)
    assert audit_actions(path) == [
        ("boss", "account_created", "amy as advisor"),
        ("boss", "account_created", "ben as admin"),
        ("boss", "account_disabled", "ben"),
        ("boss", "account_enabled", "ben"),
        ("boss", "password_reset", "ben"),
        ("ben", "sign_in_failed", None),
        ("ben", "signed_in", None),
    ]


def test_the_command_line_creates_the_first_admin(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OFD_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt: PASSWORD)
    assert accounts.main(["create", "--username", "root-admin", "--role", "admin"]) == 0
    store = AccountStore(tmp_path / "referrals.sqlite")
    assert store.authenticate("root-admin", PASSWORD).role == ADMIN
    assert accounts.main(["create", "--username", "root-admin", "--role", "admin"]) == 1
    assert "already taken" in capsys.readouterr().err


def test_the_command_line_refuses_passwords_that_differ(tmp_path, monkeypatch):
    monkeypatch.setenv("OFD_INSTANCE_DIR", str(tmp_path))
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt: next(answers))
    assert accounts.main(["create", "--username", "ann", "--role", "admin"]) == 1
    assert AccountStore(tmp_path / "referrals.sqlite").accounts() == []
