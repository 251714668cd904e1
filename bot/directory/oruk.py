"""Open Referral UK JSON in and out: validate, import (all or nothing) and export.

A file holds services in the ORUK ``service`` shape: one service, a list of services, or a
``/services`` page (``{"contents": [...]}``). Each service is checked against the compiled ORUK
``service`` and ``service_list`` schemas (copied into ``data/directory/oruk-schema``), its phones
against ``phone.json``, and its taxonomy terms and service areas against our own taxonomy.
Services may carry the project's ``ofd`` extension object (sources, source date, notes).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator, FormatChecker, RefResolver

from bot.directory.records import Directory, read_directory
from bot.directory.seed import CONFIDENTIAL, stable_id
from bot.directory.store import OFD_FIELDS, write_services
from bot.directory.taxonomy import Taxonomy, load_taxonomy
from bot.settings import PROJECT_ROOT

SCHEMA_DIR = PROJECT_ROOT / "data" / "directory" / "oruk-schema"
WEB_SCHEMES = ("https://", "http://")


class InvalidDirectoryData(ValueError):
    """Input that does not fit ORUK or our taxonomy; the message names the record and field."""


@cache
def _validator(name: str) -> Draft7Validator:
    path = SCHEMA_DIR / name
    schema = json.loads(path.read_text(encoding="utf-8"))
    resolver = RefResolver(base_uri=path.as_uri(), referrer=schema)
    return Draft7Validator(schema, resolver=resolver, format_checker=FormatChecker())


def _where(index: int, record: object) -> str:
    name = record.get("name") or record.get("id") if isinstance(record, dict) else None
    return f"record {index + 1}" + (f" ({name!r})" if name else "")


def _path(parts: object) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(the record itself)"


def _schema_errors(record: object) -> list[str]:
    errors = []
    for schema in ("compiled/service.json", "compiled/service_list.json"):
        for error in _validator(schema).iter_errors(record):
            errors.append(f"field {_path(error.absolute_path)}: {error.message}")
    if isinstance(record, dict):
        for i, phone in enumerate(record.get("phones") or ()):
            for error in _validator("phone.json").iter_errors(phone):
                field = _path(["phones", i, *error.absolute_path])
                errors.append(f"field {field}: {error.message}")
    return sorted(set(errors))


def _link_errors(record: dict) -> list[str]:
    """The service's web address becomes a link: only http(s) is accepted (never javascript:).

    Sources may be described in words; only those starting http(s) are shown as links.
    """
    ofd = record.get("ofd", {})
    if not isinstance(ofd, dict) or not all(isinstance(x, str) for x in ofd.get("sources", [])):
        return ["field ofd: must be an object whose 'sources' is a list of text"]
    url = record.get("url")
    if url is not None and not url.startswith(WEB_SCHEMES):
        return [f"field url: {url!r} is not an http(s) web address"]
    return []


def _project_errors(record: dict, tx: Taxonomy) -> list[str]:
    """Our own rules beyond the ORUK schema: known terms and areas, links, what we rely on."""
    errors = _link_errors(record)
    areas = {tx.county, tx.national, *tx.districts}
    for i, area in enumerate(record.get("service_areas") or ()):
        if area.get("name") not in areas:
            errors.append(
                f"field service_areas[{i}].name: {area.get('name')!r} is not a district, "
                f"{tx.county!r} or {tx.national!r}"
            )
    known = {t.taxonomy: set() for t in tx.all_terms()}
    for term in tx.all_terms():
        known[term.taxonomy].add(term.id)
    for i, attr in enumerate(record.get("attributes") or ()):
        term = attr.get("taxonomy_term")
        if not isinstance(term, dict) or "taxonomy" not in term:
            errors.append(f"field attributes[{i}].taxonomy_term: needs a taxonomy and a name")
        elif term["taxonomy"] in known and term["name"] not in known[term["taxonomy"]]:
            errors.append(
                f"field attributes[{i}].taxonomy_term.name: {term['name']!r} is not a term "
                f"of {term['taxonomy']!r}"
            )
        elif "taxonomy_id" not in term:
            errors.append(f"field attributes[{i}].taxonomy_term.taxonomy_id: is required")
        if "link_type" not in attr:
            errors.append(f"field attributes[{i}].link_type: is required")
    for i, link in enumerate(record.get("service_at_locations") or ()):
        if "location" not in link and "location_id" not in link:
            errors.append(f"field service_at_locations[{i}]: needs a location or a location_id")
    return errors


def services_in(document: object) -> list:
    """The service records in a parsed ORUK document (a service, a list, or a page)."""
    if isinstance(document, dict) and "contents" in document:
        document = document["contents"]
    if isinstance(document, dict):
        return [document]
    if isinstance(document, list):
        return document
    raise InvalidDirectoryData("the file holds neither a service, a list of services, nor a page")


def validate_services(records: list, taxonomy: Taxonomy | None = None) -> list[str]:
    """Every problem found, each naming the record and the field. [] means valid."""
    tx = taxonomy or load_taxonomy()
    problems, seen = [], set()
    for index, record in enumerate(records):
        errors = _schema_errors(record)
        if isinstance(record, dict) and not errors:
            errors = _project_errors(record, tx)
            if record["id"] in seen:
                errors.append(f"field id: {record['id']!r} is used by an earlier record")
            seen.add(record["id"])
        problems += [f"{_where(index, record)}: {e}" for e in errors]
    return problems


def read_document(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidDirectoryData(f"{path.name}: cannot read it as JSON ({error})") from error


def import_file(db_path: Path, path: Path, replace_all: bool = False) -> int:
    """Validate ``path`` and write its services in one transaction; on any problem, write none."""
    records = services_in(read_document(path))
    problems = validate_services(records)
    if problems:
        raise InvalidDirectoryData("\n".join(problems))
    try:
        return write_services(db_path, records, source_label=path.name, replace_all=replace_all)
    except sqlite3.Error as error:
        raise InvalidDirectoryData(f"{path.name}: the database refused it ({error})") from error


def _attribute(service_id: str, link_type: str, taxonomy: str, name: str, label: str) -> dict:
    term_id = stable_id("term", taxonomy, name)
    return {
        "id": stable_id("attribute", service_id, link_type, taxonomy, name),
        "link_id": service_id,
        "link_type": link_type,
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "name": name,
            "description": label,
            "taxonomy": taxonomy,
            "taxonomy_id": stable_id("taxonomy", taxonomy),
        },
    }


def export_services(db_path: Path, taxonomy: Taxonomy | None = None) -> dict:
    """The whole directory as an ORUK ``/services`` page of fully nested services."""
    tx = taxonomy or load_taxonomy()
    directory: Directory = read_directory(db_path, tx)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM service")}
        orgs = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM organization")}
        children: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for table in ("phone", "schedule", "service_area", "contact", "language"):
            for r in conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid"):
                row = {k: v for k, v in dict(r).items() if v is not None}
                children[r["service_id"]][table].append(row)
        links = defaultdict(list)
        for r in conn.execute("SELECT * FROM service_at_location ORDER BY rowid"):
            links[r["service_id"]].append(dict(r))
        locations = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM location")}
        addresses = defaultdict(list)
        for r in conn.execute("SELECT * FROM address ORDER BY rowid"):
            addresses[r["location_id"]].append({k: v for k, v in dict(r).items() if v is not None})
    finally:
        conn.close()
    contents = []
    for service in directory.services:
        row = rows[service.id]
        sid = service.id
        item: dict = {
            "id": sid,
            "name": service.name,
            "description": service.description,
            "status": row["status"],
        }
        for key in ("url", "email", "minimum_age", "maximum_age", "assured_date", "alert"):
            if row[key] is not None:
                item[key] = row[key]
        if org := orgs.get(row["organization_id"]):
            item["organization_id"] = org["id"]
            item["organization"] = {k: v for k, v in org.items() if v is not None}
            item["organization"].setdefault("description", "")
        item["phones"] = [
            {k: v for k, v in p.items() if k != "service_id"} for p in children[sid]["phone"]
        ]
        for table, key in (
            ("schedule", "schedules"),
            ("service_area", "service_areas"),
            ("contact", "contacts"),
            ("language", "languages"),
        ):
            item[key] = children[sid][table]
        item["service_at_locations"] = []
        for link in links[sid]:
            location = locations[link["location_id"]]
            nested: dict = {"id": location["id"], "location_type": location["location_type"]}
            if location["confidential"]:
                nested["name"] = location["name"]
                nested["attributes"] = [
                    _attribute(
                        location["id"],
                        "location",
                        CONFIDENTIAL.taxonomy,
                        CONFIDENTIAL.id,
                        CONFIDENTIAL.label,
                    )
                ]
            else:
                nested.update(
                    {
                        k: location[k]
                        for k in ("name", "description", "latitude", "longitude")
                        if location[k] is not None
                    }
                )
                nested["addresses"] = addresses[location["id"]]
            item["service_at_locations"].append(
                {
                    "id": link["id"],
                    "service_id": sid,
                    "location_id": location["id"],
                    "location": nested,
                }
            )
        attributes = [
            _attribute(sid, "need", "ofd-need", n, tx.needs[n].label) for n in sorted(service.needs)
        ]
        for dimension_terms in service.eligibility.values():
            attributes += [
                _attribute(sid, "eligibility", "ofd-audience", a, tx.audience[a].label)
                for a in sorted(dimension_terms)
            ]
        attributes += [
            _attribute(sid, "access", "ofd-access", a, tx.access[a].label)
            for a in sorted(service.access)
        ]
        attributes += [
            _attribute(sid, "referral_route", "ofd-referral", r, tx.referral_routes[r].label)
            for r in sorted(service.referral_routes)
        ]
        attributes += [
            _attribute(sid, "risk_route", tx.risk_route_taxonomy, t, tx.risk_tiers[t].label)
            for t in sorted(service.risk_routes)
        ]
        item["attributes"] = attributes
        ofd = {"sources": list(service.source_urls), "source_date": service.source_date}
        for key in OFD_FIELDS:
            if key not in ofd and row[key] is not None:
                ofd[key] = row[key]
        item["ofd"] = ofd
        contents.append(item)
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
