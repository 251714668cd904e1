"""Advisor accounts and their console sessions, in the referrals database.

- Passwords are stored as Werkzeug scrypt hashes, never in any other form.
- 5 wrong passwords in a row lock an account for 15 minutes. While it is locked even the right
  password is refused, and a refused attempt does not extend the lock. Signing in answers the
  same, and checks a hash, whether or not the username exists, is locked or disabled, so the
  answer does not tell anyone which usernames exist.
- A session is a random token kept in the browser; only its SHA-256 is stored, with its own
  CSRF token. It ends after ``idle_s`` without a request, after 12 hours in any case, at
  sign-out, and when its account is disabled or its password reset.
- Creating, disabling, enabling and resetting accounts, and signing in, are audited.

The first admin is created on the command line::

    python -m bot.referrals.accounts create --username alice --role admin
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import os
import re
import secrets
import sqlite3
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from bot.referrals.db import Database, audit
from bot.settings import load_settings

ADVISOR, ADMIN = "advisor", "admin"
ROLES: tuple[str, ...] = (ADVISOR, ADMIN)
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60
SESSION_MAX_S = 12 * 3600
MIN_PASSWORD, MAX_PASSWORD = 12, 128
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")
HASH_METHOD = "scrypt"
CLI_ACTOR = "command-line"
DEFAULT_IDLE_MINUTES = 15

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until REAL,
    last_login REAL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS advisor_sessions (
    token_hash TEXT PRIMARY KEY,  -- SHA-256 of the browser's token: a copy of the file
    username TEXT NOT NULL,       -- cannot be used to sign in
    csrf_token TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL
);
"""


def idle_timeout_s(env: Mapping[str, str] = os.environ) -> float:
    """How long a console session lasts without a request (``OFD_ADVISOR_IDLE_MINUTES``)."""
    return float(env.get("OFD_ADVISOR_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)) * 60


class AccountError(ValueError):
    """A change that cannot be made (the message is for staff, and says why)."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    disabled: bool
    locked_until: float | None
    last_login: float | None
    created_at: float

    def is_locked(self, now: float) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class Session:
    username: str
    role: str
    csrf_token: str


@cache
def _dummy_hash() -> str:
    """Checked against when there is no usable account, so every answer takes as long."""
    return generate_password_hash(secrets.token_urlsafe(16), method=HASH_METHOD)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username or ""):
        raise AccountError(
            "A username is 3 to 40 lower-case letters, digits, dots, dashes or underscores."
        )
    return username


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        raise AccountError(f"A password is {MIN_PASSWORD} to {MAX_PASSWORD} characters long.")
    return password


def _account(row: sqlite3.Row) -> Account:
    return Account(
        username=row["username"],
        role=row["role"],
        disabled=bool(row["disabled"]),
        locked_until=row["locked_until"],
        last_login=row["last_login"],
        created_at=row["created_at"],
    )


class AccountStore:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, SCHEMA)

    # --- Administration (each change audited) ----------------------------------------------

    def create(
        self, username: str, password: str, role: str, actor: str, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        check_username(username)
        check_password(password)
        if role not in ROLES:
            raise AccountError("The role is advisor or admin.")
        password_hash = generate_password_hash(password, method=HASH_METHOD)
        with self.db.transaction() as db:
            if db.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
                raise AccountError("That username is already taken.")
            db.execute(
                "INSERT INTO accounts (username, password_hash, role, created_at)"
                " VALUES (?, ?, ?, ?)",
                (username, password_hash, role, now),
            )
            audit(db, now, actor, "account_created", subject=f"{username} as {role}")

    def set_disabled(
        self, username: str, disabled: bool, actor: str, now: float | None = None
    ) -> None:
        now = time.time() if now is None else now
        with self.db.transaction() as db:
            self._require(db, username)
            db.execute(
                "UPDATE accounts SET disabled = ? WHERE username = ?", (int(disabled), username)
            )
            if disabled:
                db.execute("DELETE FROM advisor_sessions WHERE username = ?", (username,))
            action = "account_disabled" if disabled else "account_enabled"
            audit(db, now, actor, action, subject=username)

    def reset_password(
        self, username: str, password: str, actor: str, now: float | None = None
    ) -> None:
        """Set a new password; it also lifts a lockout and ends the account's sessions."""
        now = time.time() if now is None else now
        check_password(password)
        password_hash = generate_password_hash(password, method=HASH_METHOD)
        with self.db.transaction() as db:
            self._require(db, username)
            db.execute(
                "UPDATE accounts SET password_hash = ?, failed_attempts = 0, locked_until = NULL"
                " WHERE username = ?",
                (password_hash, username),
            )
            db.execute("DELETE FROM advisor_sessions WHERE username = ?", (username,))
            audit(db, now, actor, "password_reset", subject=username)

    def _require(self, db: sqlite3.Connection, username: str) -> None:
        if not db.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
            raise AccountError("There is no such account.")

    def accounts(self) -> list[Account]:
        with self.db.connect() as db:
            rows = db.execute("SELECT * FROM accounts ORDER BY username").fetchall()
        return [_account(row) for row in rows]

    def get(self, username: str) -> Account | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
        return _account(row) if row else None

    # --- Signing in ------------------------------------------------------------------------

    def authenticate(
        self, username: str, password: str, now: float | None = None
    ) -> Account | None:
        """The account, when the password is right and the account enabled and not locked."""
        now = time.time() if now is None else now
        password = (password or "")[:MAX_PASSWORD]
        with self.db.transaction() as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
            # One hash check on every path, so timing does not say whether the account exists.
            matches = check_password_hash(row["password_hash"] if row else _dummy_hash(), password)
            if row is None:
                return None
            account = _account(row)
            if account.disabled or account.is_locked(now):
                audit(db, now, username, "sign_in_refused")
                return None
            if not matches:
                failures = row["failed_attempts"] + 1
                if failures >= MAX_FAILURES:
                    db.execute(
                        "UPDATE accounts SET failed_attempts = 0, locked_until = ?"
                        " WHERE username = ?",
                        (now + LOCKOUT_S, username),
                    )
                    audit(db, now, username, "account_locked")
                else:
                    db.execute(
                        "UPDATE accounts SET failed_attempts = ? WHERE username = ?",
                        (failures, username),
                    )
                    audit(db, now, username, "sign_in_failed")
                return None
            db.execute(
                "UPDATE accounts SET failed_attempts = 0, locked_until = NULL, last_login = ?"
                " WHERE username = ?",
                (now, username),
            )
            audit(db, now, username, "signed_in")
        return account

    def start_session(self, username: str, now: float | None = None) -> tuple[str, Session]:
        """A new session (a fresh token at every sign-in); returns the browser's token."""
        now = time.time() if now is None else now
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.db.transaction() as db:
            row = db.execute("SELECT role FROM accounts WHERE username = ?", (username,)).fetchone()
            if row is None:
                raise AccountError("There is no such account.")
            db.execute(
                "INSERT INTO advisor_sessions (token_hash, username, csrf_token, created_at,"
                " last_seen) VALUES (?, ?, ?, ?, ?)",
                (_token_hash(token), username, csrf, now, now),
            )
        return token, Session(username, row["role"], csrf)

    def session(self, token: str, idle_s: float, now: float | None = None) -> Session | None:
        """The live session for ``token``, its idle time restarted; None when it has ended."""
        now = time.time() if now is None else now
        key = _token_hash(token)
        with self.db.transaction() as db:
            row = db.execute(
                "SELECT s.*, a.role, a.disabled FROM advisor_sessions s"
                " JOIN accounts a USING (username) WHERE s.token_hash = ?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            if (
                row["disabled"]
                or now - row["last_seen"] > idle_s
                or (now - row["created_at"] > SESSION_MAX_S)
            ):
                db.execute("DELETE FROM advisor_sessions WHERE token_hash = ?", (key,))
                return None
            db.execute("UPDATE advisor_sessions SET last_seen = ? WHERE token_hash = ?", (now, key))
        return Session(row["username"], row["role"], row["csrf_token"])

    def end_session(self, token: str) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM advisor_sessions WHERE token_hash = ?", (_token_hash(token),))

    def end_idle_sessions(self, idle_s: float, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.db.transaction() as db:
            db.execute(
                "DELETE FROM advisor_sessions WHERE last_seen < ? OR created_at < ?",
                (now - idle_s, now - SESSION_MAX_S),
            )


# --- Command line ----------------------------------------------------------------------------


def _ask_password() -> str:
    password = getpass.getpass("Password (12 to 128 characters): ")
    if getpass.getpass("The same password again: ") != password:
        raise AccountError("The two passwords differ.")
    return password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.referrals.accounts",
        description="Advisor console accounts (the password is asked for, never an argument).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an account (the first admin, say)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", choices=ROLES, default=ADVISOR)
    reset = commands.add_parser("reset-password", help="set a new password, lifting any lock")
    reset.add_argument("--username", required=True)
    args = parser.parse_args(argv)
    store = AccountStore(load_settings().referrals_db)
    try:
        if args.command == "create":
            check_username(args.username)
            store.create(args.username, _ask_password(), args.role, CLI_ACTOR)
            print(f"Created {args.role} account {args.username!r}.")
        else:
            store.reset_password(args.username, _ask_password(), CLI_ACTOR)
            print(f"New password set for {args.username!r}.")
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
