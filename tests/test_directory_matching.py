"""Matching: every need type, every risk tier, district and audience eligibility, ranking,
and confidential addresses; plus the action that shows matches in the chat."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from directory_data import SECRET_ADDRESS, SECRET_POSTCODE, oruk_service, risk_route
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import ActionSuggestServices
from bench.directory_bench import generated_service, random_person
from bot import triage
from bot.directory import Person, load_directory, load_taxonomy, match
from bot.directory.matching import _Circumstances, _needs_for, is_eligible
from bot.directory.oruk import export_services, import_file
from bot.directory.records import NATIONAL
from bot.directory.store import write_services
from bot.messages import services_message
from safety.replies import EMERGENCY, EMERGENCY_TEXT

TX = load_taxonomy()
HDAH = "Hertfordshire Domestic Abuse Helpline (HDAH)"
NDAH = "National Domestic Abuse Helpline"
WOMEN_ONLY = {
    NDAH,
    "Southall Black Sisters",
    "Herts Area Rape Crisis and Sexual Abuse Centre (HARCSAC)",
    "Welwyn Hatfield Women's Refuge & Support Services (WHWR)",
}


@pytest.fixture(scope="module")
def directory(seeded_directory: Path):
    return load_directory(seeded_directory)


def names(result) -> list[str]:
    return [m.service.name for m in result.matches]


def everything(directory, limit: int = 100, **values) -> list[str]:
    return names(match(directory, Person.from_values(**values), limit=limit))


def test_the_vocabulary_is_the_one_the_dialogue_uses() -> None:
    assert tuple(TX.needs) == triage.NEED_TYPES
    assert tuple(TX.risk_tiers) == triage.RISK_TIERS
    assert TX.districts == triage.DISTRICTS
    assert set(TX.roles) == set(triage.USER_ROLES)
    assert set(TX.audience) == set(triage.AUDIENCE_FACTS)


@pytest.mark.parametrize("need", list(TX.needs))
def test_each_need_type_gets_services_that_meet_it(directory, need: str) -> None:
    result = match(directory, Person(needs=(need,)), limit=100)
    assert result.matches, need
    assert result.emergency == (need == "immediate_danger")
    if need in directory.needs():
        label = TX.needs[need].label
        for m in result.matches:
            assert need in m.service.needs
            assert any(r.startswith("Helps with") and label.lower() in r.lower() for r in m.reasons)
        assert result.unmet_needs == ()
    else:  # nothing verified is listed for it yet: say so, and offer general support
        assert result.unmet_needs == (need,)
        assert all("General support" in m.reasons[0] for m in result.matches)
        assert HDAH in names(result)


def test_needs_are_mapped_from_the_seed_vocabulary(directory) -> None:
    service = next(s for s in directory.services if s.name == "Childline")
    assert {"children", "counselling", "sexual_violence"} == service.needs
    hdah = next(s for s in directory.services if s.name == HDAH)
    assert {"recognise_abuse", "professional_referral", "behaviour_change"} <= hdah.needs


def test_standard_risk_has_no_extra_guidance(directory) -> None:
    result = match(directory, Person(needs=("counselling",), risk_tier="standard"))
    assert result.guidance is None
    assert not any("IDVA" in r for m in result.matches for r in m.reasons)


def test_medium_risk_adds_safety_planning(directory) -> None:
    result = match(directory, Person(needs=("housing",), risk_tier="medium"), limit=100)
    assert "safety plan" in result.guidance
    assert any("advocacy_safety" in m.service.needs for m in result.matches)


@pytest.mark.parametrize("needs", [(), ("housing",), ("counselling", "legal")])
def test_high_risk_always_starts_with_the_route_to_an_advocate(directory, needs) -> None:
    result = match(directory, Person(needs=needs, risk_tier="high", district="Stevenage"), limit=1)
    assert names(result) == [HDAH]
    assert "IDVA" in result.matches[0].reasons[0]
    assert "IDVA" in result.guidance and "score" not in result.guidance.lower()


def test_high_risk_guidance_for_professionals_names_marac(directory) -> None:
    result = match(directory, Person(risk_tier="high", role="professional"))
    assert "MARAC" in result.guidance
    assert names(result)[0] == HDAH


def test_district_services_only_for_people_in_that_district(directory) -> None:
    stevenage = everything(directory, needs=["housing"], district="Stevenage")
    assert "Stevenage Borough Council - housing advice and homelessness" in stevenage
    assert "Survivors Against Domestic Abuse (SADA)" in stevenage  # covers four districts
    assert not any(n.startswith(("Three Rivers", "Hertsmere", "Broxbourne")) for n in stevenage)
    three_rivers = everything(directory, needs=["housing"], district="Three Rivers")
    assert three_rivers[0] == "Three Rivers District Council - homelessness"
    assert "Survivors Against Domestic Abuse (SADA)" not in three_rivers
    unknown = match(directory, Person(needs=("housing",)), limit=100)
    assert all(m.service.locality != 0 for m in unknown.matches)


def test_local_services_rank_before_county_and_national(directory) -> None:
    for need in TX.needs:
        for district in (None, "Stevenage", "St Albans"):
            result = match(directory, Person(needs=(need,), district=district), limit=100)
            localities = [m.service.locality for m in result.matches]
            assert localities == sorted(localities), (need, district)
    mixed = match(directory, Person(needs=("sexual_violence",), audience=frozenset({"woman"})))
    assert mixed.matches[0].service.locality < NATIONAL


def test_gender_eligibility(directory) -> None:
    for_men = set(everything(directory, needs=list(TX.needs), audience=["man"]))
    assert not for_men & WOMEN_ONLY
    assert "Men's Advice Line" in for_men
    for_women = set(
        everything(directory, needs=list(TX.needs), audience=["woman"], district="Welwyn Hatfield")
    )
    assert for_women >= WOMEN_ONLY and "Men's Advice Line" not in for_women


def test_specialist_services_only_for_people_in_their_group(directory) -> None:
    unknown = set(everything(directory, needs=list(TX.needs)))
    specialist = {
        "Childline",
        "Hourglass helpline (abuse of older people)",
        "Galop National Helpline for LGBT+ Victims and Survivors of Abuse and Violence",
    }
    assert not unknown & specialist
    lgbt = match(directory, Person(needs=("sexual_violence",), audience=frozenset({"lgbt"})))
    assert names(lgbt)[0].startswith("Galop") or "Galop" in " ".join(names(lgbt))
    assert any("For LGBT+ people" in m.reasons for m in lgbt.matches)
    older = everything(directory, needs=["financial"], audience=["older_person"])
    assert "Hourglass helpline (abuse of older people)" in older


def test_age_limits(directory) -> None:
    young = everything(directory, needs=["sexual_violence", "children"], audience=["young_person"])
    assert "Childline" in young
    assert "Herts Area Rape Crisis and Sexual Abuse Centre (HARCSAC)" not in young  # 18+
    assert "Rape and Sexual Abuse Support Line (24/7)" in young  # 16+: may fit a 16-17 year old
    older = everything(directory, needs=["children", "counselling"], audience=["older_person"])
    assert "Childline" not in older


def test_deaf_and_language_preferences_are_explained(directory) -> None:
    deaf = match(directory, Person(needs=("immediate_danger",), audience=frozenset({"deaf"})))
    ndah = next(m for m in deaf.matches if m.service.name == NDAH)
    assert "British Sign Language access" in ndah.reasons
    polish = match(directory, Person(needs=("advocacy_safety",), language="pl"))
    assert names(polish)[0] == HDAH
    assert "Interpreting for other languages" in polish.matches[0].reasons


def test_people_seeking_to_change_their_behaviour_get_behaviour_change_services(directory):
    result = match(directory, Person(needs=("housing",), role="behaviour_change"), limit=100)
    assert result.matches and all("behaviour_change" in m.service.needs for m in result.matches)


def test_untrusted_values_are_dropped() -> None:
    person = Person.from_values(
        needs=["housing", "gardening"],
        risk_tier="extreme",
        district="Essex",
        role="admin",
        audience="woman",
        language="xx",
    )
    assert person == Person(needs=("housing",), audience=frozenset({"woman"}))


def test_confidential_locations_never_expose_an_address(tmp_path: Path, seeded_directory: Path):
    db = tmp_path / "directory.sqlite"
    db.write_bytes(seeded_directory.read_bytes())
    refuge = oruk_service(
        "Oak Refuge", needs=("safe_accommodation",), address=SECRET_ADDRESS, confidential=True
    )
    hostel = oruk_service("Safe Stay", needs=("safe_accommodation",), address=SECRET_ADDRESS)
    flagged = oruk_service(
        "Quiet Place", needs=("counselling",), address=SECRET_ADDRESS, confidential=True
    )
    public = oruk_service("Open Door Counselling", needs=("counselling",), address="1 High St")
    risk_route(refuge, "high")
    path = tmp_path / "refuges.json"
    path.write_text(json.dumps([refuge, hostel, flagged, public]))
    import_file(db, path)

    assert SECRET_ADDRESS.encode() not in db.read_bytes()
    assert SECRET_POSTCODE.encode() not in db.read_bytes()
    page = export_services(db)
    exported = json.dumps(page)
    assert SECRET_ADDRESS not in exported and SECRET_POSTCODE not in exported
    assert "Oak Refuge house" not in exported
    assert "1 High St" in exported  # ordinary addresses are kept
    for service in page["contents"]:
        if service["name"] in ("Oak Refuge", "Safe Stay", "Quiet Place"):
            (link,) = service["service_at_locations"]
            assert set(link["location"]) == {"id", "location_type", "name", "attributes"}

    directory = load_directory(db)
    result = match(
        directory,
        Person(needs=("safe_accommodation", "counselling"), risk_tier="high"),
        limit=100,
    )
    shown = {m.service.name: m.service for m in result.matches}
    assert {"Oak Refuge", "Safe Stay", "Quiet Place"} <= set(shown)
    for name in ("Oak Refuge", "Safe Stay", "Quiet Place"):
        (location,) = shown[name].locations
        assert location.confidential and location.address is None
    assert shown["Open Door Counselling"].locations[0].address.startswith("1 High St")
    text = services_message(result, "the helpline") + repr(result)
    assert SECRET_ADDRESS not in text and SECRET_POSTCODE not in text


def run_action(monkeypatch, seeded_directory: Path, tmp_path: Path, **slots) -> list[dict]:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    monkeypatch.setenv("OFD_INSTANCE_DIR", str(instance))
    monkeypatch.delenv("OFD_FRONT_DOOR_PHONE", raising=False)
    tracker = Tracker("test", slots, {"text": "hello", "intent": {}}, [], False, None, {}, None)
    dispatcher = CollectingDispatcher()
    events = ActionSuggestServices().run(dispatcher, tracker, {})
    assert [e["name"] for e in events] == ["offer_callback"]  # the only slot it sets
    return dispatcher.messages


def test_the_action_shows_real_services_without_any_slots(monkeypatch, seeded_directory, tmp_path):
    (message,) = run_action(monkeypatch, seeded_directory, tmp_path)
    assert HDAH in message["text"] and "08 088 088 088" in message["text"]


def test_the_action_asks_for_the_999_wording_first(monkeypatch, seeded_directory, tmp_path):
    messages = run_action(
        monkeypatch,
        seeded_directory,
        tmp_path,
        need_types=["immediate_danger", "housing"],
        risk_tier="high",
        district="Watford",
        user_role="survivor",
        audience=["woman"],
    )
    assert messages[0]["custom"] == {"kind": EMERGENCY} and not messages[0]["text"]
    blocks = messages[1]["text"].split("\n\n")
    assert "IDVA" in blocks[0]  # the guidance, then the route to an advocate first
    intro = blocks.index("These services can help. You can contact them when it is safe for you:")
    assert blocks[intro + 1].startswith(HDAH)
    assert EMERGENCY_TEXT not in messages[1]["text"]  # shown once, by the channel


def reference_ranking(directory, person: Person, limit: int) -> list[str]:
    """The ranking rules written out plainly, to check the indexed matcher against."""
    who = _Circumstances.of(person, TX)
    needs = _needs_for(person, TX)
    prefer = {f"need:{n}" for n in TX.roles[person.role].prefers_needs}
    prefer |= {f"audience:{a}" for a in person.audience}
    for fact in person.audience:
        prefer |= {f"need:{n}" for n in TX.audience[fact].prefers_needs}
        prefer |= {f"access:{a}" for a in TX.audience[fact].prefers_access}
    if person.language and person.language != "en":
        prefer.add("access:interpreting")
    prefer -= {f"need:{n}" for n in needs}
    ranked = []
    for s in directory.services:
        if not is_eligible(s, who, TX.stated_only_dimensions):
            continue
        route = person.risk_tier in s.risk_routes
        met = len(s.needs & set(needs))
        if route or met:
            key = (not route, s.locality, -met, -len(s.traits & prefer), s.priority, s.name)
            ranked.append((key, s.name))
    return [name for _, name in sorted(ranked)[:limit]]


def test_the_indexed_matcher_follows_the_ranking_rules(tmp_path: Path) -> None:
    rng = random.Random(7)
    db = tmp_path / "generated.sqlite"
    write_services(db, [generated_service(rng, n) for n in range(600)], "test")
    directory = load_directory(db)
    for _ in range(300):
        person = random_person(rng)
        result = match(directory, person, limit=5)
        if set(result.unmet_needs) != set(_needs_for(person, TX)):  # else: general fallback
            assert names(result) == reference_ranking(directory, person, 5), person


def test_professionals_are_pointed_to_the_referral_form(monkeypatch, seeded_directory, tmp_path):
    messages = run_action(monkeypatch, seeded_directory, tmp_path, user_role="professional",
                          need_types=["professional_referral"], risk_tier="high")  # fmt: skip
    assert "/professionals/refer" in messages[-1]["text"]
    (tmp_path / "s").mkdir()
    survivor = run_action(monkeypatch, seeded_directory, tmp_path / "s", user_role="survivor")
    assert not any("/professionals/refer" in m.get("text", "") for m in survivor)


def test_general_advice_names_citizens_advice_and_shelter_from_the_directory(seeded_directory):
    from bot.directory import load_directory
    from bot.messages import general_advice_message

    text = general_advice_message(load_directory(seeded_directory))
    assert "Citizens Advice" in text and "Shelter" in text
    assert "UNVERIFIED" not in text
