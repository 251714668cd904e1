"""Read the directory database into plain, read-only Python objects.

The whole directory is small enough to hold in memory (10,000 services take a few MB), so
matching runs in Python without a query per request. A loaded directory is reused until the
database file changes.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bot.directory.taxonomy import Taxonomy, load_taxonomy

LOCAL, COUNTY, NATIONAL = 0, 1, 2  # locality ranks: district services first


@dataclass(frozen=True)
class Phone:
    number: str
    note: str = ""


@dataclass(frozen=True)
class Location:
    name: str
    confidential: bool
    address: str | None  # always None for a confidential location


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: fast in sets and dicts
class Service:
    id: str
    name: str
    organization: str
    description: str
    url: str | None
    url_note: str | None
    email: str | None
    email_note: str | None
    phones: tuple[Phone, ...]
    hours: tuple[str, ...]
    areas: frozenset[str]
    locality: int
    needs: frozenset[str]
    eligibility: dict[str, frozenset[str]] = field(hash=False)  # dimension -> audience terms
    minimum_age: float | None = None
    maximum_age: float | None = None
    access: frozenset[str] = frozenset()
    referral_routes: frozenset[str] = frozenset()
    risk_routes: frozenset[str] = frozenset()
    locations: tuple[Location, ...] = ()
    eligibility_note: str | None = None
    referral_note: str | None = None
    languages_note: str | None = None
    source_urls: tuple[str, ...] = ()
    source_date: str | None = None
    assured_date: str | None = None
    priority: int = 100  # operator ordering among equally good matches, lower first
    # Derived for fast matching: no audience or age limits at all, and every term as
    # "kind:term" (need:housing, audience:woman, access:bsl).
    unrestricted: bool = True
    traits: frozenset[str] = frozenset()
    order: int = 0  # position in the directory ordered by priority, then name

    @property
    def phone(self) -> str | None:
        """The first number, for one-line mentions."""
        return self.phones[0].number if self.phones else None

    def verified_on(self) -> date | None:
        return date.fromisoformat(self.assured_date) if self.assured_date else None

    def is_stale(self, today: date, max_age_days: int) -> bool:
        """Not verified within ``max_age_days`` (or with no verification date at all)."""
        verified = self.verified_on()
        return verified is None or (today - verified).days > max_age_days


@dataclass(frozen=True)
class Directory:
    services: tuple[Service, ...]  # ordered by priority, then name
    # (need, area) -> services in order: a district service is listed under each of its
    # districts, a county-wide one under the county and a national one under "National".
    by_need_area: dict[tuple[str, str], tuple[Service, ...]]
    by_risk_route: dict[str, tuple[Service, ...]]
    index: dict[str, Service]
    # The same (need, area) lists as sets, and every service by trait ("need:housing" ...),
    # so matching can combine them with set operations instead of a loop per service.
    need_area_sets: dict[tuple[str, str], frozenset[Service]] = field(default_factory=dict)
    by_trait: dict[str, frozenset[Service]] = field(default_factory=dict)

    def by_id(self, service_id: str) -> Service | None:
        return self.index.get(service_id)

    def needs(self) -> set[str]:
        """The needs at least one service meets."""
        return {need for need, _ in self.by_need_area}


def _locality(areas: frozenset[str], taxonomy: Taxonomy) -> int:
    if taxonomy.national in areas:
        return NATIONAL
    if taxonomy.county in areas:
        return COUNTY
    return LOCAL


def _locality_area(service: Service, taxonomy: Taxonomy) -> str:
    return taxonomy.national if service.locality == NATIONAL else taxonomy.county


def _address(row: sqlite3.Row) -> str:
    parts = (row["address_1"], row["city"], row["state_province"], row["postal_code"])
    return ", ".join(p for p in parts if p)


def read_directory(db_path: Path, taxonomy: Taxonomy | None = None) -> Directory:
    """Load every service with its phones, hours, areas, locations and taxonomy terms."""
    taxonomy = taxonomy or load_taxonomy()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        children: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for row in conn.execute("SELECT service_id, number, description FROM phone ORDER BY rowid"):
            children[row[0]]["phones"].append(Phone(row[1], row[2] or ""))
        for row in conn.execute("SELECT service_id, description FROM schedule ORDER BY rowid"):
            if row[1]:
                children[row[0]]["hours"].append(row[1])
        for row in conn.execute("SELECT service_id, name FROM service_area"):
            children[row[0]]["areas"].append(row[1])
        for row in conn.execute(
            """SELECT a.link_id, a.link_type, t.name FROM attribute a
               JOIN taxonomy_term t ON t.id = a.taxonomy_term_id"""
        ):
            children[row[0]][row[1]].append(row[2])
        addresses = defaultdict(list)
        for row in conn.execute("SELECT * FROM address ORDER BY rowid"):
            addresses[row["location_id"]].append(_address(row))
        for row in conn.execute(
            """SELECT sal.service_id, l.id, l.name, l.confidential FROM service_at_location sal
               JOIN location l ON l.id = sal.location_id ORDER BY sal.rowid"""
        ):
            address = None if row["confidential"] else "; ".join(addresses[row["id"]]) or None
            children[row[0]]["locations"].append(
                Location(row["name"] or "", bool(row["confidential"]), address)
            )
        services = []
        for row in conn.execute(
            """SELECT s.*, o.name AS organization FROM service s
               LEFT JOIN organization o ON o.id = s.organization_id
               WHERE s.status = 'active' ORDER BY s.name"""
        ):
            c = children[row["id"]]
            areas = frozenset(c["areas"])
            eligibility: dict[str, set[str]] = defaultdict(set)
            for term in c["eligibility"]:
                eligibility[taxonomy.audience[term].dimension].add(term)
            services.append(
                Service(
                    id=row["id"],
                    name=row["name"],
                    organization=row["organization"] or "",
                    description=row["description"] or "",
                    url=row["url"],
                    url_note=row["url_note"],
                    email=row["email"],
                    email_note=row["email_note"],
                    phones=tuple(c["phones"]),
                    hours=tuple(c["hours"]),
                    areas=areas,
                    locality=_locality(areas, taxonomy),
                    needs=frozenset(c["need"]),
                    eligibility={k: frozenset(v) for k, v in eligibility.items()},
                    minimum_age=row["minimum_age"],
                    maximum_age=row["maximum_age"],
                    access=frozenset(c["access"]),
                    referral_routes=frozenset(c["referral_route"]),
                    risk_routes=frozenset(c["risk_route"]),
                    locations=tuple(c["locations"]),
                    eligibility_note=row["eligibility_note"],
                    referral_note=row["referral_note"],
                    languages_note=row["languages_note"],
                    source_urls=tuple(json.loads(row["source_urls"] or "[]")),
                    source_date=row["source_date"],
                    assured_date=row["assured_date"],
                    priority=row["priority"],
                    unrestricted=not eligibility
                    and row["minimum_age"] is None
                    and row["maximum_age"] is None,
                    traits=frozenset(
                        [f"need:{n}" for n in c["need"]]
                        + [f"audience:{t}" for t in c["eligibility"]]
                        + [f"access:{a}" for a in c["access"]]
                    ),
                )
            )
    finally:
        conn.close()
    services.sort(key=lambda s: (s.priority, s.name))
    services = [replace(s, order=i) for i, s in enumerate(services)]
    by_need_area: dict[tuple[str, str], list[Service]] = defaultdict(list)
    by_risk_route: dict[str, list[Service]] = defaultdict(list)
    for service in services:
        areas = service.areas if service.locality == LOCAL else [_locality_area(service, taxonomy)]
        for need in service.needs:
            for area in areas:
                by_need_area[need, area].append(service)
        for tier in service.risk_routes:
            by_risk_route[tier].append(service)
    by_trait: dict[str, set[Service]] = defaultdict(set)
    for service in services:
        for trait in service.traits:
            by_trait[trait].add(service)
    return Directory(
        services=tuple(services),
        by_need_area={k: tuple(v) for k, v in by_need_area.items()},
        by_risk_route={k: tuple(v) for k, v in by_risk_route.items()},
        index={s.id: s for s in services},
        need_area_sets={k: frozenset(v) for k, v in by_need_area.items()},
        by_trait={k: frozenset(v) for k, v in by_trait.items()},
    )


_loaded: dict[Path, tuple[tuple[int, int], Directory]] = {}


def load_directory(db_path: Path) -> Directory:
    """The directory in ``db_path``, read again only when the file has changed."""
    stat = db_path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _loaded.get(db_path)
    if cached is None or cached[0] != stamp:
        gc.unfreeze()  # a directory being replaced may be collected again
        cached = (stamp, read_directory(db_path))
        _loaded[db_path] = cached
        # The directory lives as long as the process: keeping the garbage collector from
        # walking its objects on every full collection keeps matching latency flat (without
        # this, a full collection over 10,000 services adds several ms to a request).
        gc.freeze()
    return cached[1]


def search_ids(db_path: Path, text: str, limit: int = 20) -> list[str]:
    """Service ids whose name, description or eligibility match ``text`` (full-text, best first)."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    if not words:
        return []
    # Each word quoted as a prefix term: user text is never read as FTS query syntax.
    query = " ".join(f'"{w}"*' for w in words)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            """SELECT s.id FROM service_fts f JOIN service s ON s.rowid = f.rowid
               WHERE service_fts MATCH ? AND s.status = 'active' ORDER BY rank LIMIT ?""",
            (query, limit),
        ).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]
