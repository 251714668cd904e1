"""Small ORUK records for directory tests, built the way a commissioner's file would be."""

from __future__ import annotations

import uuid

from bot.directory import load_taxonomy
from bot.directory.seed import CONFIDENTIAL, attribute
from bot.directory.taxonomy import Term

SECRET_ADDRESS = "17 Hidden Lane"
SECRET_POSTCODE = "AL10 9ZZ"


def oruk_service(
    name: str,
    needs: tuple[str, ...] = ("advocacy_safety",),
    areas: tuple[str, ...] = ("Hertfordshire",),
    phone: str = "01234 567890",
    eligibility: tuple[str, ...] = (),
    address: str | None = None,
    confidential: bool = False,
    **fields: object,
) -> dict:
    tx = load_taxonomy()
    sid = str(uuid.uuid4())
    service: dict = {
        "id": sid,
        "name": name,
        "description": f"{name} (test record)",
        "status": "active",
        "url": "https://example.org/" + name.lower().replace(" ", "-"),
        "assured_date": "2026-10-01",
        "organization": {"id": str(uuid.uuid4()), "name": f"{name} Ltd", "description": ""},
        "phones": [{"id": str(uuid.uuid4()), "number": phone, "description": "test line"}],
        "service_areas": [{"id": str(uuid.uuid4()), "service_id": sid, "name": a} for a in areas],
        "attributes": [attribute(sid, "need", tx.needs[n]) for n in needs]
        + [attribute(sid, "eligibility", tx.audience[a]) for a in eligibility],
        "ofd": {"sources": ["https://example.org/source"], "source_date": "2026-10-01"},
        **fields,
    }
    if address is not None:
        location_id = str(uuid.uuid4())
        location: dict = {
            "id": location_id,
            "location_type": "physical",
            "name": f"{name} house",
            "latitude": 51.76,
            "longitude": -0.22,
            "addresses": [
                {
                    "id": str(uuid.uuid4()),
                    "location_id": location_id,
                    "address_1": address,
                    "city": "Hatfield",
                    "state_province": "Hertfordshire",
                    "postal_code": SECRET_POSTCODE if address == SECRET_ADDRESS else "SG1 1AA",
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }
        if confidential:
            location["attributes"] = [attribute(location_id, "location", CONFIDENTIAL)]
        service["service_at_locations"] = [
            {"id": str(uuid.uuid4()), "service_id": sid, "location_id": location_id,
             "location": location}
        ]  # fmt: skip
    return service


def risk_route(service: dict, tier: str) -> dict:
    tx = load_taxonomy()
    term = Term(tx.risk_route_taxonomy, tier, tx.risk_tiers[tier].label)
    service["attributes"].append(attribute(service["id"], "risk_route", term))
    return service
