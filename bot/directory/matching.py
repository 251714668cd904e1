"""Match a person's needs, risk, place and circumstances to services, saying why each fits.

Rules (the vocabulary and eligibility rules are data in ``taxonomy.json``):
- nothing is returned that the person is not eligible for: district-only services need the
  person's district; a service for one group excludes anyone who has said they belong to a
  different group, and a specialist service (LGBT+, Deaf, older people ...) is shown only to
  people who said they belong to its group; age limits exclude age groups outside them;
- at high risk the route to an advocate (IDVA) is always included, first, with MARAC guidance;
- immediate danger sets ``emergency``: callers show the 999 / Silent Solution wording from
  :mod:`safety.replies` before anything else;
- local services rank before county-wide ones, and those before national ones.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import combinations
from operator import attrgetter

from bot.directory.records import COUNTY, LOCAL, Directory, Service
from bot.directory.taxonomy import Taxonomy, load_taxonomy
from safety.translation import N_, Translate, untranslated

IMMEDIATE_DANGER = "immediate_danger"
ORDER = attrgetter("order")


@dataclass(frozen=True)
class Person:
    """What we know about the person being helped (all optional)."""

    needs: tuple[str, ...] = ()
    risk_tier: str | None = None
    district: str | None = None
    role: str = "survivor"
    audience: frozenset[str] = frozenset()
    language: str | None = None

    @classmethod
    def from_values(
        cls,
        needs: object = None,
        risk_tier: object = None,
        district: object = None,
        role: object = None,
        audience: object = None,
        language: object = None,
        taxonomy: Taxonomy | None = None,
    ) -> Person:
        """Build from untrusted values (dialogue slots, form fields): unknown values are dropped."""
        tx = taxonomy or load_taxonomy()
        return cls(
            needs=tuple(dict.fromkeys(n for n in _as_list(needs) if n in tx.needs)),
            risk_tier=risk_tier if risk_tier in tx.risk_tiers else None,
            district=district if district in tx.districts else None,
            role=role if role in tx.roles else "survivor",
            audience=frozenset(a for a in _as_list(audience) if a in tx.audience),
            language=language if language in tx.languages else None,
        )


def _as_list(value: object) -> list:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list | tuple | set | frozenset) else []


@dataclass(frozen=True)
class Match:
    service: Service
    reasons: tuple[str, ...]
    risk_route: bool = False  # the route to an advocate for this person's risk tier


@dataclass(frozen=True)
class MatchResult:
    emergency: bool
    matches: tuple[Match, ...]
    guidance: str | None = None  # risk guidance in the wording for this person's role
    unmet_needs: tuple[str, ...] = field(default=())  # needs no eligible service meets


@dataclass(frozen=True)
class _Circumstances:
    district: str | None
    facts_by_dimension: dict[str, frozenset[str]]
    age_range: tuple[float, float] | None

    @classmethod
    def of(cls, person: Person, tx: Taxonomy) -> _Circumstances:
        by_dimension: dict[str, set[str]] = {}
        low, high = None, None
        for fact in person.audience:
            term = tx.audience[fact]
            by_dimension.setdefault(term.dimension, set()).add(fact)
            if term.minimum_age is not None:
                low = max(low or 0, term.minimum_age)
                high = min(high if high is not None else 999, term.maximum_age or 999)
        ages = (low, high) if low is not None else None
        return cls(person.district, {k: frozenset(v) for k, v in by_dimension.items()}, ages)


def is_eligible(service: Service, who: _Circumstances, stated_only: frozenset[str]) -> bool:
    if service.locality == LOCAL and who.district not in service.areas:
        return False
    for dimension, terms in service.eligibility.items():
        stated = who.facts_by_dimension.get(dimension)
        if stated is not None:
            if not stated & terms:
                return False
        elif dimension in stated_only:
            return False
    if who.age_range is not None:
        low, high = who.age_range
        if service.maximum_age is not None and low > service.maximum_age:
            return False
        if service.minimum_age is not None and high < service.minimum_age:
            return False
    return True


def _needs_for(person: Person, tx: Taxonomy) -> list[str]:
    role = tx.roles[person.role]
    needs = list(person.needs)
    if person.risk_tier:
        needs += [n for n in tx.risk_tiers[person.risk_tier].adds_needs if n not in needs]
    if role.only_needs is not None:
        needs = [n for n in needs if n in role.only_needs]
    return needs or list(role.default_needs)


def _area_reason(service: Service, tx: Taxonomy, t: Translate = untranslated) -> str:
    if service.locality == LOCAL:
        return t(N_("Local service: {areas}")).format(areas=", ".join(sorted(service.areas)))
    if service.locality == COUNTY:
        return t(N_("Covers all of {county}")).format(county=tx.county)
    return t(N_("National service"))


def in_sentence(label: str) -> str:
    """'Housing' -> 'housing' inside a sentence; names such as 'FGM' or 'LGBT+' keep capitals."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _areas_for(person: Person, tx: Taxonomy) -> list[str]:
    """The areas whose services the person can use, most local first."""
    local = [person.district] if person.district else []
    return [*local, tx.county, tx.national]


def _rank_area(
    directory: Directory,
    area: str,
    needs: list[str],
    prefer: frozenset[str],
    eligible: Callable[[Service], bool],
    exclude: set[Service],
    count: int,
) -> list[Service]:
    """The ``count`` best services in one area: most needs met, then best fit to the person,
    then priority and name.

    Services that meet more than one need or fit the person in some way are few: they are
    found with set operations and ranked in full. The rest all rank equal but for their order,
    so they are taken lazily from the pre-sorted lists, checking only as many as it takes.
    """
    keys = [(need, area) for need in needs if (need, area) in directory.need_area_sets]
    if not keys:
        return []
    sets = [directory.need_area_sets[k] for k in keys]
    special: set[Service] = set()
    for a, b in combinations(sets, 2):
        special |= a & b
    candidates = sets[0].union(*sets[1:])
    for trait in prefer:
        special |= directory.by_trait.get(trait, frozenset()) & candidates
    wanted = frozenset(needs)
    chosen = heapq.nsmallest(
        count,
        (s for s in special if s not in exclude and eligible(s)),
        key=lambda s: (-len(s.needs & wanted), -len(s.traits & prefer), s.order),
    )
    if len(chosen) < count:
        lists = [directory.by_need_area[k] for k in keys]
        rest = lists[0] if len(lists) == 1 else heapq.merge(*lists, key=ORDER)
        for service in rest:
            if service not in special and service not in exclude and eligible(service):
                chosen.append(service)
                if len(chosen) >= count:
                    break
    return chosen


def match(
    directory: Directory,
    person: Person,
    limit: int = 5,
    taxonomy: Taxonomy | None = None,
    translate: Translate = untranslated,
) -> MatchResult:
    """Ranked services for ``person``, each with the reasons it was chosen.

    Reasons and guidance are put into the person's language with ``translate``.
    """
    t = translate
    tx = taxonomy or load_taxonomy()
    role = tx.roles[person.role]
    who = _Circumstances.of(person, tx)
    needs = _needs_for(person, tx)
    prefer = {f"need:{n}" for n in role.prefers_needs} | {f"audience:{a}" for a in person.audience}
    for fact in person.audience:
        prefer |= {f"need:{n}" for n in tx.audience[fact].prefers_needs}
        prefer |= {f"access:{a}" for a in tx.audience[fact].prefers_access}
    if person.language and person.language != tx.default_language:
        prefer.add("access:interpreting")
    # A preferred need breaks ties among services matched on other needs; a need the person
    # asked for already counts in full.
    preferred = frozenset(prefer - {f"need:{n}" for n in needs})

    def eligible(service: Service) -> bool:
        return (service.unrestricted and service.locality != LOCAL) or is_eligible(
            service, who, tx.stated_only_dimensions
        )

    areas = _areas_for(person, tx)
    routes = [s for s in directory.by_risk_route.get(person.risk_tier or "", ()) if eligible(s)]
    wanted_needs = set(needs)
    routes.sort(
        key=lambda s: (
            s.locality,
            -len(s.needs & wanted_needs),
            -len(s.traits & preferred),
            s.order,
        )
    )
    routes = routes[:limit]
    chosen = list(routes)
    fallback_reason = None
    for wanted in (needs, list(tx.fallback_needs)):
        for area in areas:
            if len(chosen) >= limit:
                break
            chosen += _rank_area(
                directory, area, wanted, preferred, eligible, set(chosen), limit - len(chosen)
            )
        if len(chosen) > len(routes) or len(chosen) >= limit or wanted is not needs:
            break
        fallback_reason = t(N_("General support (no specialist service is listed for this)"))
    met_by = {s: [n for n in needs if n in s.needs] for s in chosen}
    unmet = tuple(
        n
        for n in needs
        if not any(n in m for m in met_by.values())
        and not any(eligible(s) for a in areas for s in directory.by_need_area.get((n, a), ()))
    )

    matches = []
    for service in chosen:
        reasons = []
        if service in routes:
            reasons.append(t(tx.risk_route_reason[role.audience]))
        if met_by[service]:
            labels = [in_sentence(t(tx.needs[n].label)) for n in met_by[service]]
            reasons.append(t(N_("Helps with {needs}")).format(needs="; ".join(labels)))
        elif fallback_reason and service not in routes:
            reasons.append(fallback_reason)
        reasons.append(_area_reason(service, tx, t))
        for dimension, terms in service.eligibility.items():
            for term in sorted(terms & who.facts_by_dimension.get(dimension, frozenset())):
                label = in_sentence(t(tx.audience[term].label))
                reasons.append(t(N_("For {audience}")).format(audience=label))
        reasons += [
            t(tx.access[a].label) for a in sorted(service.access) if f"access:{a}" in preferred
        ]
        matches.append(Match(service, tuple(reasons), service in routes))
    tier = tx.risk_tiers.get(person.risk_tier or "")
    guidance = tier.guidance if tier else {}
    return MatchResult(
        emergency=IMMEDIATE_DANGER in needs,
        matches=tuple(matches),
        guidance=t(guidance[role.audience]) if role.audience in guidance else None,
        unmet_needs=unmet,
    )


def match_within(
    directory: Directory,
    person: Person,
    service_ids: list[str],
    limit: int = 50,
    taxonomy: Taxonomy | None = None,
) -> MatchResult:
    """Like :func:`match`, but only among ``service_ids`` (e.g. full-text search results).

    With no needs or risk tier given, the services come in the order given, still only those
    the person is eligible for. The route to an advocate at high risk is always kept.
    """
    tx = taxonomy or load_taxonomy()
    wanted = set(service_ids)
    if person.needs or person.risk_tier:
        full = match(directory, person, limit=len(directory.services), taxonomy=tx)
        kept = tuple(m for m in full.matches if m.service.id in wanted or m.risk_route)
        return replace(full, matches=kept[:limit])
    who = _Circumstances.of(person, tx)
    matches = [
        Match(service, ("Matches your search", _area_reason(service, tx)))
        for service in (directory.by_id(i) for i in service_ids)
        if service is not None and is_eligible(service, who, tx.stated_only_dimensions)
    ]
    return MatchResult(emergency=False, matches=tuple(matches[:limit]))
