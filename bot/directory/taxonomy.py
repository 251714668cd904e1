"""The One Front Door's own vocabulary (needs, risk tiers, audience facts, areas, languages).

It is data (``data/directory/taxonomy.json``) so commissioners can change it without code;
this module only reads it into typed, read-only objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.settings import PROJECT_ROOT

TAXONOMY_PATH = PROJECT_ROOT / "data" / "directory" / "taxonomy.json"


@dataclass(frozen=True)
class Term:
    """One taxonomy term: ``id`` is its code (the name the dialogue uses), ``label`` its words."""

    taxonomy: str
    id: str
    label: str


@dataclass(frozen=True)
class AudienceTerm(Term):
    dimension: str
    minimum_age: int | None
    maximum_age: int | None
    prefers_access: frozenset[str]
    prefers_needs: frozenset[str]


@dataclass(frozen=True)
class RiskTier(Term):
    adds_needs: tuple[str, ...]
    guidance: dict[str, str]


@dataclass(frozen=True)
class Role:
    audience: str  # "public" or "professional": which wording to use
    prefers_needs: frozenset[str]
    only_needs: frozenset[str] | None  # the needs this role may be matched on (None: any)
    default_needs: tuple[str, ...]  # when nothing more specific is known


@dataclass(frozen=True)
class Taxonomy:
    needs: dict[str, Term]
    fallback_needs: tuple[str, ...]
    seed_need_map: dict[str, tuple[str, ...]]  # seed vocabulary -> our need ids
    confidential_needs: frozenset[str]
    risk_tiers: dict[str, RiskTier]
    audience: dict[str, AudienceTerm]
    stated_only_dimensions: frozenset[str]
    access: dict[str, Term]
    referral_routes: dict[str, Term]
    risk_route_taxonomy: str
    risk_route_reason: dict[str, str]
    roles: dict[str, Role]
    county: str
    national: str
    districts: tuple[str, ...]
    default_language: str
    languages: dict[str, str]  # code -> name

    def all_terms(self) -> list[Term]:
        """Every term stored in the directory's taxonomy tables."""
        risk_routes = [
            Term(self.risk_route_taxonomy, t.id, t.label) for t in self.risk_tiers.values()
        ]
        return [
            *self.needs.values(),
            *self.risk_tiers.values(),
            *self.audience.values(),
            *self.access.values(),
            *self.referral_routes.values(),
            *risk_routes,
        ]


def _terms(section: dict) -> dict[str, Term]:
    return {t["id"]: Term(section["taxonomy"], t["id"], t["label"]) for t in section["terms"]}


def parse_taxonomy(data: dict) -> Taxonomy:
    needs, risk, audience = data["needs"], data["risk_tiers"], data["audience"]
    seed_need_map: dict[str, list[str]] = {}
    for term in needs["terms"]:
        for seed_need in term["seed_needs"]:
            seed_need_map.setdefault(seed_need, []).append(term["id"])
    return Taxonomy(
        needs=_terms(needs),
        fallback_needs=tuple(needs["fallback"]),
        seed_need_map={k: tuple(v) for k, v in seed_need_map.items()},
        confidential_needs=frozenset(
            t["id"] for t in needs["terms"] if t.get("confidential_locations")
        ),
        risk_tiers={
            t["id"]: RiskTier(
                risk["taxonomy"], t["id"], t["label"], tuple(t["adds_needs"]), t["guidance"]
            )
            for t in risk["terms"]
        },
        audience={
            t["id"]: AudienceTerm(
                audience["taxonomy"],
                t["id"],
                t["label"],
                t["dimension"],
                t.get("minimum_age"),
                t.get("maximum_age"),
                frozenset(t.get("prefers_access", ())),
                frozenset(t.get("prefers_needs", ())),
            )
            for t in audience["terms"]
        },
        stated_only_dimensions=frozenset(
            name for name, d in audience["dimensions"].items() if d["stated_only"]
        ),
        access=_terms(data["access"]),
        referral_routes=_terms(data["referral_routes"]),
        risk_route_taxonomy=data["risk_routes"]["taxonomy"],
        risk_route_reason=data["risk_routes"]["reason"],
        roles={
            name: Role(
                r["audience"],
                frozenset(r.get("prefers_needs", ())),
                frozenset(r["only_needs"]) if "only_needs" in r else None,
                tuple(r.get("default_needs", needs["fallback"])),
            )
            for name, r in data["roles"].items()
        },
        county=data["areas"]["county"],
        national=data["areas"]["national"],
        districts=tuple(data["areas"]["districts"]),
        default_language=data["languages"]["default"],
        languages={t["code"]: t["name"] for t in data["languages"]["terms"]},
    )


@cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    return parse_taxonomy(json.loads(path.read_text(encoding="utf-8")))
