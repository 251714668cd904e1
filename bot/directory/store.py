"""Build the directory database from the seed file and query it.

Only verified records are loaded; a field that reads UNVERIFIED is stored as missing so no
caller can show it by accident.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

UNVERIFIED = "UNVERIFIED"
LOCAL_SCOPES_FIRST = "CASE WHEN scope = 'national' THEN 1 ELSE 0 END"


@dataclass(frozen=True)
class Service:
    id: int
    name: str
    scope: str
    phone: str | None
    web: str | None
    hours: str | None
    description: str
    source_date: str


def _known(value: str) -> str | None:
    return None if UNVERIFIED in value else value


def _service_row(record: dict, service_id: int) -> dict:
    return {
        "id": service_id,
        "name": record["name"],
        "organisation": record["organisation"],
        "scope": record["scope"],
        "phone": _known(record["phone"]),
        "web": _known(record["web"]),
        "hours": _known(record["hours"]),
        "description": record["description"],
        "referral_route": _known(record["referral_route"]),
        "source_urls": json.dumps(record["source"]),
        "source_date": record["source_date"],
    }


def build_directory(seed_path: Path, db_path: Path) -> int:
    """(Re)build ``db_path`` from the seed JSON; return the number of services loaded."""
    records = [r for r in json.loads(seed_path.read_text(encoding="utf-8")) if r["verified"]]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_suffix(".building")
    tmp_path.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp_path)
    db["services"].insert_all((_service_row(r, i) for i, r in enumerate(records, start=1)), pk="id")
    db["service_needs"].insert_all(
        (
            {"service_id": i, "need": need}
            for i, r in enumerate(records, start=1)
            for need in r["need_types"]
        ),
        foreign_keys=[("service_id", "services", "id")],
    )
    db["service_needs"].create_index(["need"])
    db.close()
    # Swap in whole so a reader never sees a half-built directory.
    tmp_path.replace(db_path)
    return len(records)


def find_services(db_path: Path, need: str, limit: int = 3) -> list[Service]:
    """Services that meet ``need``, local ones before national ones."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            f"""SELECT s.id, s.name, s.scope, s.phone, s.web, s.hours, s.description,
                       s.source_date
                FROM services s JOIN service_needs n ON n.service_id = s.id
                WHERE n.need = ? AND s.phone IS NOT NULL
                ORDER BY {LOCAL_SCOPES_FIRST}, s.id
                LIMIT ?""",
            (need, limit),
        ).fetchall()
    finally:
        conn.close()
    return [Service(*row) for row in rows]


def find_service_by_name(db_path: Path, name: str) -> Service | None:
    """The verified service called exactly ``name``, if there is one."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            """SELECT id, name, scope, phone, web, hours, description, source_date
               FROM services WHERE name = ?""",
            (name,),
        ).fetchone()
    finally:
        conn.close()
    return Service(*row) if row else None
