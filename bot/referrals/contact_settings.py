"""The One Front Door's own contact details, as an admin set them in the advisor console.

They override the operator's environment settings of the same names (``OFD_FRONT_DOOR_NAME``,
``OFD_FRONT_DOOR_PHONE``, ``OFD_FRONT_DOOR_WEB``, read by :mod:`bot.contact`), and each keeps
who set it and when; every change is audited. A wrong number is a safety defect, so a number
must look like a UK phone number and a web address must be https.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.referrals.db import Database, audit

NAME, PHONE, WEB = "OFD_FRONT_DOOR_NAME", "OFD_FRONT_DOOR_PHONE", "OFD_FRONT_DOOR_WEB"
LABELS: dict[str, str] = {
    NAME: "Name, as it reads in a sentence (e.g. 'the One Front Door')",
    PHONE: "Phone number",
    WEB: "Web address (optional)",
}
MAX_LENGTH = 200
UK_PHONE = re.compile(r"(?:0|\+44)\d{9,10}")

SCHEMA = """
CREATE TABLE IF NOT EXISTS contact_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at REAL NOT NULL
);
"""


class SettingError(ValueError):
    """A value that cannot be used (the message is for staff)."""


@dataclass(frozen=True)
class Override:
    value: str
    changed_by: str
    changed_at: float


def check(name: str, value: str) -> str:
    """The value cleaned up, or :class:`SettingError`. An empty value clears the override."""
    value = " ".join((value or "").split())
    if not value:
        return ""
    if len(value) > MAX_LENGTH:
        raise SettingError(f"{LABELS[name]}: at most {MAX_LENGTH} characters.")
    if name == PHONE and not UK_PHONE.fullmatch(re.sub(r"[\s()-]", "", value)):
        raise SettingError("Phone number: a UK number such as 0800 123 4567 or +44 1234 567890.")
    if name == WEB and not re.fullmatch(r"https://[^\s/]+\.[^\s]+", value):
        raise SettingError("Web address: a full https:// address.")
    return value


class ContactSettings:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, SCHEMA)

    def overrides(self) -> dict[str, Override]:
        with self.db.connect() as db:
            rows = db.execute("SELECT * FROM contact_settings").fetchall()
        return {
            row["name"]: Override(row["value"], row["changed_by"], row["changed_at"])
            for row in rows
        }

    def save(self, values: Mapping[str, str], actor: str, now: float | None = None) -> list[str]:
        """Set (or, with an empty value, clear) each override; returns the names changed.

        Every value is checked before anything is written, so a mistake changes nothing.
        """
        now = time.time() if now is None else now
        cleaned = {name: check(name, values.get(name, "")) for name in LABELS}
        with self.db.transaction() as db:
            current = dict(db.execute("SELECT name, value FROM contact_settings").fetchall())
            changed = [name for name in LABELS if cleaned[name] != current.get(name, "")]
            for name in changed:
                if cleaned[name]:
                    db.execute(
                        "INSERT OR REPLACE INTO contact_settings VALUES (?, ?, ?, ?)",
                        (name, cleaned[name], actor, now),
                    )
                else:
                    db.execute("DELETE FROM contact_settings WHERE name = ?", (name,))
                audit(db, now, actor, "setting_changed", subject=name)
        return changed


def contact_env(env: Mapping[str, str], path: Path) -> dict[str, str]:
    """``env`` with the stored overrides on top, for :func:`bot.contact.front_door`.

    Only reads: without a referrals database yet, it is ``env`` as it is.
    """
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT name, value FROM contact_settings").fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError:  # no file, or no settings saved yet
        rows = []
    return {**env, **dict(rows)}
