"""Hertfordshire places -> districts (bot/places.py) and the NLU data generated from it."""

import pytest

from bot.places import (
    DISTRICT_FOR_PLACE,
    PLACES_BY_DISTRICT,
    PLACES_NLU,
    district_for,
    district_in_text,
    nlu_yaml,
)
from bot.triage import DISTRICTS


def test_every_district_has_places_and_no_others():
    assert set(PLACES_BY_DISTRICT) == set(DISTRICTS)
    assert all(len(places) >= 5 for places in PLACES_BY_DISTRICT.values())


def test_each_place_belongs_to_exactly_one_district():
    names = [p.lower() for places in PLACES_BY_DISTRICT.values() for p in places]
    assert len(names) == len(set(names))
    assert set(DISTRICT_FOR_PLACE.values()) == set(DISTRICTS)


@pytest.mark.parametrize("district", DISTRICTS)
def test_a_district_name_maps_to_itself(district):
    assert district_for(district) == district
    assert district_for(district.upper()) == district


@pytest.mark.parametrize(
    ("name", "district"),
    [
        ("Hemel Hempstead", "Dacorum"),
        ("hemel", "Dacorum"),
        ("Bishops Stortford", "East Herts"),
        ("bishop's stortford", "East Herts"),
        ("Borehamwood", "Hertsmere"),
        ("Letchworth Garden City", "North Herts"),
        ("st. albans", "St Albans"),
        ("Cheshunt", "Broxbourne"),
        ("South Oxhey", "Three Rivers"),
        ("WGC", "Welwyn Hatfield"),
        ("Garston", "Watford"),
        ("Chells", "Stevenage"),
    ],
)
def test_places_map_to_their_district(name, district):
    assert district_for(name) == district


def test_unknown_places_map_to_nothing():
    assert district_for("Luton") is None
    assert district_for(None) is None
    assert district_in_text("I live in Manchester") is None


def test_place_found_in_a_sentence_prefers_the_longest_name():
    assert district_in_text("we moved to Hertford Heath last year") == "East Herts"
    assert district_in_text("I'm near Welwyn Garden City station") == "Welwyn Hatfield"
    assert district_in_text("my ex lives in North Watford") == "Watford"


def test_generated_nlu_file_is_current():
    assert PLACES_NLU.read_text(encoding="utf-8") == nlu_yaml(), "run `python -m bot.places`"
