"""Turn the project's seed file (``data/directory/services.json``) into ORUK service records.

The seed goes through the same import as any ORUK file, so there is one way into the
database. Only records with ``verified: true`` are used, and a field reading UNVERIFIED is left
out. Nothing is corrected: a phone field such as
``0808 2000 247 (freephone; also via TypeTalk on the same number)`` is split into the number and
its note, character for character, and never changed.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from bot.directory.taxonomy import Taxonomy, Term

UNVERIFIED = "UNVERIFIED"
NAMESPACE = uuid.UUID("5b1f2a56-0f0e-4c8e-9a57-6c0a1e0f0d00")  # stable ids across rebuilds
CONFIDENTIAL = Term("ofd-location", "confidential", "Confidential address: never published")
CONFIDENTIAL_LOCATION_NAME = "Refuge (address kept confidential)"

_NUMBER = re.compile(r"\+?\d[\d ]*\d|\d")
_DATE = re.compile(r"(?<!\d)(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?(?!\d)")
_PARENTHESISED = re.compile(r"\([^()]*\)")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _known(value: str) -> str | None:
    return None if not value or UNVERIFIED in value else value


def _split_top_level(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split ``text`` at separators that are not inside brackets."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        separator = (
            next((s for s in separators if text.startswith(s, i)), None) if not depth else None
        )
        if separator:
            parts.append(text[start:i])
            i += len(separator)
            start = i
        else:
            i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _unbracket(note: str) -> str:
    """'(freephone)' -> 'freephone'; a note that is more than one bracket stays as it is."""
    if note.startswith("(") and note.endswith(")") and _PARENTHESISED.fullmatch(note):
        return note[1:-1].strip()
    return note


def split_phone(text: str) -> list[tuple[str, str]]:
    """Split a seed phone field into (number, note) pairs without changing a character.

    Returns [] when the field does not start with a number (e.g. 'none found').
    """
    phones: list[tuple[str, str]] = []
    for part in _split_top_level(text, ("; ", " / ")):
        match = _NUMBER.match(part)
        if match is None:
            if not phones:
                return []
            number, note = phones.pop()
            phones.append((number, f"{note}; {part}" if note else part))
            continue
        phones.append((match.group(), _unbracket(part[match.end() :].strip())))
    return phones


def split_address(text: str) -> tuple[str, str]:
    """'www.x.org.uk (live chat)' -> ('www.x.org.uk', 'live chat')."""
    address, _, note = text.partition(" ")
    return address, _unbracket(note.strip())


def web_url(address: str) -> str:
    """A web address as a link. Addresses read without a scheme get https://, as browsers do."""
    return address if "://" in address else f"https://{address}"


def latest_date(source_date: str) -> str | None:
    """The latest date named in a free-text source date ('2019-2021' -> '2021-01-01').

    Month and day default to the first, so the date is never later than the source. A text
    that begins 'undated' has no date, whatever else it mentions.
    """
    if source_date.strip().lower().startswith("undated"):
        return None
    dates = [f"{y}-{m or '01'}-{d or '01'}" for y, m, d in _DATE.findall(source_date)]
    return max(dates, default=None)


def referral_routes(text: str) -> list[str]:
    """Referral route terms ('self', 'professional') from the seed's referral_route text."""
    if not _known(text):
        return []
    head = _PARENTHESISED.sub("", text).lower()
    routes = []
    if head.startswith(("self", "both")):
        routes.append("self")
    if head.startswith("both") or "professional" in head:
        routes.append("professional")
    return routes


def service_areas(scope: str, taxonomy: Taxonomy) -> list[str]:
    if scope == "national":
        return [taxonomy.national]
    if scope == "hertfordshire":
        return [taxonomy.county]
    return [area.strip() for area in scope.split(",")]


def attribute(service_id: str, link_type: str, term: Term) -> dict:
    term_id = stable_id("term", term.taxonomy, term.id)
    return {
        "id": stable_id("attribute", service_id, link_type, term.taxonomy, term.id),
        "link_id": service_id,
        "link_type": link_type,
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "name": term.id,
            "description": term.label,
            "taxonomy": term.taxonomy,
            "taxonomy_id": stable_id("taxonomy", term.taxonomy),
        },
    }


def seed_record(record: dict, facts: dict, taxonomy: Taxonomy) -> dict:
    """One verified seed record as an ORUK service (with the project's ``ofd`` extension)."""
    sid = stable_id("service", record["name"])
    service: dict = {
        "id": sid,
        "name": record["name"],
        "description": record["description"],
        "status": "active",
        "organization": {
            "id": stable_id("organization", record["organisation"]),
            "name": record["organisation"],
            "description": "",
        },
    }
    ofd: dict = {"sources": record["source"], "source_date": record["source_date"]}
    if "priority" in facts:
        ofd["priority"] = facts["priority"]
    if web := _known(record["web"]):
        address, note = split_address(web)
        service["url"] = web_url(address)
        if note:
            ofd["url_note"] = note
    if email := _known(record["email"]):
        service["email"], note = split_address(email)
        if note:
            ofd["email_note"] = note
    if assured := latest_date(record["source_date"]):
        service["assured_date"] = assured
    for key in ("minimum_age", "maximum_age"):
        if key in facts:
            service[key] = facts[key]
    service["phones"] = [
        {"id": stable_id("phone", sid, str(i)), "number": number, "description": note}
        for i, (number, note) in enumerate(split_phone(_known(record["phone"]) or ""))
    ]
    if hours := _known(record["hours"]):
        service["schedules"] = [
            {"id": stable_id("schedule", sid), "service_id": sid, "description": hours}
        ]
    service["service_areas"] = [
        {"id": stable_id("area", sid, area), "service_id": sid, "name": area}
        for area in service_areas(record["scope"], taxonomy)
    ]
    if facts.get("refuge"):
        location_id = stable_id("location", sid)
        location = {
            "id": location_id,
            "location_type": "physical",
            "name": CONFIDENTIAL_LOCATION_NAME,
            "attributes": [attribute(location_id, "location", CONFIDENTIAL)],
        }
        service["service_at_locations"] = [
            {
                "id": stable_id("sal", sid),
                "service_id": sid,
                "location_id": location_id,
                "location": location,
            }
        ]
    if audience := _known(record["audience"]):
        ofd["eligibility_note"] = audience
    if route := _known(record["referral_route"]):
        ofd["referral_note"] = route
    if languages := _known(record["languages"]):
        ofd["languages_note"] = languages
    needs = dict.fromkeys(n for s in record["need_types"] for n in taxonomy.seed_need_map[s])
    attributes = [attribute(sid, "need", taxonomy.needs[n]) for n in needs]
    attributes += [
        attribute(sid, "eligibility", taxonomy.audience[a]) for a in facts.get("eligibility", ())
    ]
    attributes += [attribute(sid, "access", taxonomy.access[a]) for a in facts.get("access", ())]
    attributes += [
        attribute(sid, "referral_route", taxonomy.referral_routes[r])
        for r in referral_routes(record["referral_route"])
    ]
    attributes += [
        attribute(
            sid,
            "risk_route",
            Term(taxonomy.risk_route_taxonomy, tier, taxonomy.risk_tiers[tier].label),
        )
        for tier in facts.get("risk_routes", ())
    ]
    service["attributes"] = attributes
    service["ofd"] = ofd
    return service


def seed_services(seed_path: Path, taxonomy: Taxonomy) -> list[dict]:
    """The verified seed records as ORUK services, with their structured facts applied."""
    records = json.loads(seed_path.read_text(encoding="utf-8"))
    facts_path = seed_path.with_name("seed-attributes.json")
    facts = json.loads(facts_path.read_text(encoding="utf-8"))["services"]
    unknown = set(facts) - {r["name"] for r in records}
    if unknown:
        raise ValueError(f"{facts_path.name} names services not in the seed: {sorted(unknown)}")
    return [seed_record(r, facts.get(r["name"], {}), taxonomy) for r in records if r["verified"]]
