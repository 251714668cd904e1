"""The directory database: HSDS 3.0 / Open Referral UK entities in SQLite (sqlite-utils).

Tables are named after HSDS entities (organization, service, phone, schedule, service_area,
location, address, service_at_location, language, contact, taxonomy, taxonomy_term,
attribute). Services carry the project's extension fields: source URLs, the source date and
the sourced notes shown beside a field. Confidential locations are stored without any address,
name or coordinates, so no output can expose one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from bot.directory.seed import (
    CONFIDENTIAL,
    CONFIDENTIAL_LOCATION_NAME,
    seed_services,
    stable_id,
)
from bot.directory.taxonomy import Taxonomy, load_taxonomy

TEXT, INT, FLOAT = str, int, float
TABLES: dict[str, dict[str, type]] = {
    "organization": {"id": TEXT, "name": TEXT, "description": TEXT, "email": TEXT, "website": TEXT},
    "service": {
        "id": TEXT,
        "organization_id": TEXT,
        "name": TEXT,
        "description": TEXT,
        "url": TEXT,
        "email": TEXT,
        "status": TEXT,
        "minimum_age": FLOAT,
        "maximum_age": FLOAT,
        "assured_date": TEXT,
        "alert": TEXT,
        # Project extension ("ofd" in ORUK JSON): where the facts came from, and sourced notes.
        "source_urls": TEXT,
        "source_date": TEXT,
        "eligibility_note": TEXT,
        "referral_note": TEXT,
        "languages_note": TEXT,
        "url_note": TEXT,
        "email_note": TEXT,
        "priority": INT,
    },
    "phone": {"id": TEXT, "service_id": TEXT, "number": TEXT, "description": TEXT},
    "contact": {"id": TEXT, "service_id": TEXT, "name": TEXT, "title": TEXT},
    "schedule": {
        "id": TEXT,
        "service_id": TEXT,
        "description": TEXT,
        "freq": TEXT,
        "byday": TEXT,
        "opens_at": TEXT,
        "closes_at": TEXT,
    },
    "service_area": {"id": TEXT, "service_id": TEXT, "name": TEXT},
    "location": {
        "id": TEXT,
        "location_type": TEXT,
        "name": TEXT,
        "description": TEXT,
        "latitude": FLOAT,
        "longitude": FLOAT,
        "confidential": INT,
    },
    "address": {
        "id": TEXT,
        "location_id": TEXT,
        "address_1": TEXT,
        "city": TEXT,
        "region": TEXT,
        "state_province": TEXT,
        "postal_code": TEXT,
        "country": TEXT,
        "address_type": TEXT,
    },
    "service_at_location": {"id": TEXT, "service_id": TEXT, "location_id": TEXT},
    "language": {"id": TEXT, "service_id": TEXT, "name": TEXT, "code": TEXT, "note": TEXT},
    "taxonomy": {"id": TEXT, "name": TEXT, "description": TEXT},
    "taxonomy_term": {"id": TEXT, "taxonomy_id": TEXT, "name": TEXT, "description": TEXT},
    "attribute": {
        "id": TEXT,
        "link_id": TEXT,
        "link_type": TEXT,
        "link_entity": TEXT,
        "taxonomy_term_id": TEXT,
    },
}
CHILD_TABLES = ("phone", "contact", "schedule", "service_area", "service_at_location", "language")
FTS_COLUMNS = ["name", "description", "eligibility_note"]
OFD_FIELDS = (
    "source_date",
    "eligibility_note",
    "referral_note",
    "languages_note",
    "url_note",
    "email_note",
    "priority",
)
DEFAULT_PRIORITY = 100


def create_schema(db: sqlite_utils.Database) -> None:
    for name, columns in TABLES.items():
        db[name].create(columns, pk="id", if_not_exists=True)
    for table in CHILD_TABLES:
        db[table].create_index(["service_id"], if_not_exists=True)
    db["attribute"].create_index(["link_id"], if_not_exists=True)
    db["address"].create_index(["location_id"], if_not_exists=True)
    if not db["service"].detect_fts():
        db["service"].enable_fts(FTS_COLUMNS, create_triggers=True, tokenize="porter")


def _pick(record: dict, table: str) -> dict:
    return {k: record[k] for k in TABLES[table] if k in record and not isinstance(record[k], list)}


def is_confidential(service: dict, location: dict, taxonomy: Taxonomy) -> bool:
    """Refuges and other confidential places: flagged on the location, or by the service's need."""
    terms = {
        (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["name"])
        for a in location.get("attributes", ())
        if "taxonomy_term" in a
    }
    needs = {
        a["taxonomy_term"]["name"]
        for a in service.get("attributes", ())
        if a.get("taxonomy_term", {}).get("taxonomy") == "ofd-need"
    }
    return (CONFIDENTIAL.taxonomy, CONFIDENTIAL.id) in terms or bool(
        needs & taxonomy.confidential_needs
    )


def _rows(service: dict, source_label: str, taxonomy: Taxonomy) -> Iterable[tuple[str, dict]]:
    """(table, row) pairs for one validated ORUK service."""
    sid = service["id"]
    ofd = service.get("ofd", {})
    if org := service.get("organization"):
        yield "organization", _pick(org, "organization")
    row = _pick(service, "service")
    row["organization_id"] = service.get("organization_id") or (org or {}).get("id")
    row["source_urls"] = json.dumps(ofd.get("sources") or [source_label])
    row.update({k: ofd.get(k) for k in OFD_FIELDS})
    row["priority"] = ofd.get("priority", DEFAULT_PRIORITY)
    yield "service", row
    for phone in service.get("phones", ()):
        yield "phone", {**_pick(phone, "phone"), "service_id": sid}
    for table, key in (
        ("contact", "contacts"),
        ("schedule", "schedules"),
        ("service_area", "service_areas"),
        ("language", "languages"),
    ):
        for item in service.get(key, ()):
            yield table, {**_pick(item, table), "service_id": sid}
    for link in service.get("service_at_locations", ()):
        location = link.get("location") or {"id": link["location_id"], "location_type": "physical"}
        yield (
            "service_at_location",
            {"id": link["id"], "service_id": sid, "location_id": location["id"]},
        )
        if is_confidential(service, location, taxonomy):
            # Kept only as "there is a confidential place": nothing that could locate it.
            yield (
                "location",
                {
                    "id": location["id"],
                    "location_type": location["location_type"],
                    "name": CONFIDENTIAL_LOCATION_NAME,
                    "confidential": 1,
                },
            )
            continue
        yield "location", {**_pick(location, "location"), "confidential": 0}
        for address in location.get("addresses", ()):
            yield "address", {**_pick(address, "address"), "location_id": location["id"]}
    for attr in service.get("attributes", ()):
        term = attr["taxonomy_term"]
        yield "taxonomy", {"id": term["taxonomy_id"], "name": term["taxonomy"], "description": ""}
        yield (
            "taxonomy_term",
            {
                "id": term["id"],
                "taxonomy_id": term["taxonomy_id"],
                "name": term["name"],
                "description": term["description"],
            },
        )
        yield (
            "attribute",
            {
                "id": attr["id"],
                "link_id": sid,
                "link_type": attr["link_type"],
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
            },
        )


def _delete_service(db: sqlite_utils.Database, service_id: str) -> None:
    """Remove a service and everything hanging off it, ready to be written again."""
    location_ids = [
        r[0]
        for r in db.execute(
            "SELECT location_id FROM service_at_location WHERE service_id = ?", [service_id]
        )
    ]
    for table in CHILD_TABLES:
        db.execute(f"DELETE FROM [{table}] WHERE service_id = ?", [service_id])
    db.execute("DELETE FROM attribute WHERE link_id = ?", [service_id])
    for location_id in location_ids:
        db.execute("DELETE FROM address WHERE location_id = ?", [location_id])
        db.execute("DELETE FROM location WHERE id = ?", [location_id])
    db.execute("DELETE FROM service WHERE id = ?", [service_id])


def write_services(
    db_path: Path,
    services: list[dict],
    source_label: str,
    replace_all: bool = False,
    taxonomy: Taxonomy | None = None,
) -> int:
    """Write validated ORUK services in one transaction: all of them, or (on error) none.

    A service whose id is already present is replaced whole; ``replace_all`` empties the
    directory first.
    """
    taxonomy = taxonomy or load_taxonomy()
    db = sqlite_utils.Database(db_path)
    try:
        create_schema(db)
        with db.atomic():
            if replace_all:
                for table in TABLES:
                    db.execute(f"DELETE FROM [{table}]")
            rows: dict[str, list[dict]] = defaultdict(list)
            for term in taxonomy.all_terms():
                rows["taxonomy"].append(
                    {
                        "id": stable_id("taxonomy", term.taxonomy),
                        "name": term.taxonomy,
                        "description": "",
                    }
                )
                rows["taxonomy_term"].append(
                    {
                        "id": stable_id("term", term.taxonomy, term.id),
                        "taxonomy_id": stable_id("taxonomy", term.taxonomy),
                        "name": term.id,
                        "description": term.label,
                    }
                )
            for service in services:
                _delete_service(db, service["id"])
                for table, row in _rows(service, source_label, taxonomy):
                    rows[table].append(row)
            for table, table_rows in rows.items():
                db[table].insert_all(table_rows, pk="id", replace=True)
    finally:
        db.close()
    return len(services)


def build_directory(seed_path: Path, db_path: Path) -> int:
    """(Re)build ``db_path`` from the seed JSON; return the number of services loaded."""
    services = seed_services(seed_path, load_taxonomy())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_suffix(".building")
    tmp_path.unlink(missing_ok=True)
    write_services(tmp_path, services, source_label=seed_path.name)
    # Swap in whole so a reader never sees a half-built directory.
    tmp_path.replace(db_path)
    return len(services)
