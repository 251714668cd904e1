"""Hertfordshire places and the district each belongs to, as data.

Each town, village or neighbourhood maps to exactly one of the 10 districts (where a village
straddles a boundary, the district of its parish). Common short forms and spellings are listed
as places of their own. The NLU lookup table and synonyms in data/nlu/places.yml are generated
from this table: run ``python -m bot.places`` after changing it (a test checks they agree).
"""

from __future__ import annotations

import re
import sys

from bot.settings import PROJECT_ROOT
from bot.triage import DISTRICTS

PLACES_BY_DISTRICT: dict[str, tuple[str, ...]] = {
    "Broxbourne": (
        "Broxbourne",
        "Cheshunt",
        "Hoddesdon",
        "Waltham Cross",
        "Wormley",
        "Turnford",
        "Goffs Oak",
        "Flamstead End",
        "Hammond Street",
        "Rosedale",
    ),
    "Dacorum": (
        "Dacorum",
        "Hemel Hempstead",
        "Hemel",
        "Berkhamsted",
        "Berko",
        "Tring",
        "Kings Langley",
        "King's Langley",
        "Bovingdon",
        "Markyate",
        "Northchurch",
        "Potten End",
        "Chipperfield",
        "Flamstead",
        "Aldbury",
        "Wigginton",
        "Long Marston",
        "Great Gaddesden",
        "Little Gaddesden",
        "Apsley",
        "Leverstock Green",
        "Adeyfield",
        "Nash Mills",
        "Wilstone",
        "Flaunden",
    ),
    "East Herts": (
        "East Herts",
        "East Hertfordshire",
        "Hertford",
        "Hertford Heath",
        "Bengeo",
        "Bishop's Stortford",
        "Bishops Stortford",
        "Stortford",
        "Ware",
        "Sawbridgeworth",
        "Buntingford",
        "Stanstead Abbotts",
        "Much Hadham",
        "Little Hadham",
        "Standon",
        "Puckeridge",
        "Watton-at-Stone",
        "Watton at Stone",
        "Thundridge",
        "Wareside",
        "Braughing",
        "Hunsdon",
        "Tewin",
        "Bayford",
        "Walkern",
        "Datchworth",
        "Benington",
        "Great Amwell",
        "High Wych",
        "Furneux Pelham",
        "Westmill",
    ),
    "Hertsmere": (
        "Hertsmere",
        "Borehamwood",
        "Boreham Wood",
        "Potters Bar",
        "Bushey",
        "Bushey Heath",
        "Radlett",
        "Elstree",
        "Shenley",
        "South Mimms",
        "Aldenham",
        "Letchmore Heath",
    ),
    "North Herts": (
        "North Herts",
        "North Hertfordshire",
        "Letchworth",
        "Letchworth Garden City",
        "Hitchin",
        "Royston",
        "Baldock",
        "Knebworth",
        "Codicote",
        "Ashwell",
        "Ickleford",
        "Pirton",
        "Barkway",
        "Barley",
        "Therfield",
        "Kimpton",
        "Great Offley",
        "Offley",
        "Breachwood Green",
        "St Ippolyts",
        "Great Ashby",
        "Graveley",
        "Little Wymondley",
        "Great Wymondley",
        "Lilley",
        "Whitwell",
    ),
    "St Albans": (
        "St Albans",
        "St. Albans",
        "Saint Albans",
        "Harpenden",
        "London Colney",
        "Redbourn",
        "Wheathampstead",
        "Park Street",
        "How Wood",
        "Bricket Wood",
        "Chiswell Green",
        "Colney Heath",
        "Sandridge",
        "Marshalswick",
        "Fleetville",
        "Smallford",
    ),
    "Stevenage": (
        "Stevenage",
        "Old Stevenage",
        "Bedwell",
        "Chells",
        "Pin Green",
        "Shephall",
        "Symonds Green",
        "Broadwater",
        "Martins Wood",
        "St Nicholas",
    ),
    "Three Rivers": (
        "Three Rivers",
        "Rickmansworth",
        "Ricky",
        "Chorleywood",
        "Croxley Green",
        "Croxley",
        "Abbots Langley",
        "South Oxhey",
        "Carpenders Park",
        "Mill End",
        "Maple Cross",
        "Sarratt",
        "Bedmond",
        "Moor Park",
        "Eastbury",
    ),
    "Watford": (
        "Watford",
        "North Watford",
        "West Watford",
        "Garston",
        "Cassiobury",
        "Nascot",
        "Callowland",
        "Leggatts",
        "Holywell",
        "Meriden",
    ),
    "Welwyn Hatfield": (
        "Welwyn Hatfield",
        "Welwyn Garden City",
        "WGC",
        "Welwyn",
        "Hatfield",
        "Brookmans Park",
        "Cuffley",
        "Welham Green",
        "Woolmer Green",
        "Digswell",
        "Northaw",
        "Essendon",
        "Lemsford",
        "Panshanger",
        "Oaklands",
    ),
}

PLACES_NLU = PROJECT_ROOT / "data" / "nlu" / "places.yml"


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


DISTRICT_FOR_PLACE: dict[str, str] = {
    _key(place): district for district, places in PLACES_BY_DISTRICT.items() for place in places
}
# Longest names first, so "Letchworth Garden City" wins over "Letchworth".
_PLACE_PATTERN = re.compile(
    r"\b("
    + "|".join(re.escape(k) for k in sorted(DISTRICT_FOR_PLACE, key=len, reverse=True))
    + r")\b"
)


def district_for(name: str | None) -> str | None:
    """The district for a place or district name (any case or punctuation), else None."""
    return DISTRICT_FOR_PLACE.get(_key(name or ""))


def district_in_text(text: str) -> str | None:
    """The district of the first Hertfordshire place named in ``text``, else None."""
    match = _PLACE_PATTERN.search(_key(text))
    return DISTRICT_FOR_PLACE[match.group(1)] if match else None


def nlu_yaml() -> str:
    """The NLU lookup table and synonyms for the `district` entity, generated from the table."""
    lines = [
        "# Generated by `python -m bot.places` from bot/places.py: edit that file, not this one.",
        'version: "3.1"',
        "nlu:",
        "  - lookup: district",
        "    examples: |",
    ]
    lines += [f"      - {p}" for places in PLACES_BY_DISTRICT.values() for p in places]
    for district, places in PLACES_BY_DISTRICT.items():
        lines += [f"  - synonym: {district}", "    examples: |"]
        # The district's own name in lower case too, so any spelling maps to one value.
        lines += [f"      - {p}" for p in places if p != district] + [f"      - {district.lower()}"]
    return "\n".join(lines) + "\n"


def main() -> int:
    assert set(PLACES_BY_DISTRICT) == set(DISTRICTS)
    PLACES_NLU.write_text(nlu_yaml(), encoding="utf-8")
    print(f"Wrote {PLACES_NLU.relative_to(PROJECT_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
