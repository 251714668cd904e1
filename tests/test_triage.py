"""Triage vocabulary and next-step rules (bot/triage.py), checked against domain.yml too."""

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.triage import (
    AUDIENCE_FACTS,
    CONVERSATION_INTENTS,
    NEED_TYPES,
    NEXT_ASK_ROLE,
    NEXT_STEPS,
    RISK_TIERS,
    SLOT_AUDIENCE,
    SLOT_DISTRICT,
    SLOT_HIGH_RISK_INDICATORS,
    SLOT_NEED_TYPES,
    SLOT_RISK_TIER,
    SLOT_USER_ROLE,
    SURVIVOR,
    USER_ROLES,
    add_need,
    need_for_intent,
    need_type_for_intent,
    next_step,
    triage_turn,
)

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_every_need_type_is_an_intent_and_every_intent_has_a_label():
    intents = set(DOMAIN["intents"])
    assert set(NEED_TYPES) <= intents
    for intent in intents:
        assert need_type_for_intent(intent) in {*NEED_TYPES, "greeting", "out_of_scope",
                                                "information"}  # fmt: skip
    assert set(CONVERSATION_INTENTS) - {"nlu_fallback"} <= intents


def test_contract_slots_exist_with_the_agreed_values():
    slots = DOMAIN["slots"]
    for name in (SLOT_NEED_TYPES, SLOT_HIGH_RISK_INDICATORS, SLOT_AUDIENCE):
        assert slots[name]["type"] == "list"
    assert slots[SLOT_DISTRICT]["type"] == "text"
    assert tuple(slots[SLOT_RISK_TIER]["values"]) == RISK_TIERS
    assert tuple(slots[SLOT_USER_ROLE]["values"]) == USER_ROLES
    assert tuple(slots["triage_next"]["values"]) == NEXT_STEPS


def test_client_buttons_offer_exactly_the_audience_facts():
    buttons = DOMAIN["responses"]["utter_ask_client_answer"][0]["buttons"]
    offered = [b["payload"].split('"')[-2] for b in buttons if "audience" in b["payload"]]
    assert tuple(offered) == AUDIENCE_FACTS


def test_need_for_intent():
    assert need_for_intent("stalking") == "stalking"
    assert need_for_intent("im_professional") == "professional_referral"
    assert need_for_intent("suicidal_feelings") == "counselling"
    assert need_for_intent("greet") is None
    assert need_for_intent(None) is None
    assert need_type_for_intent("greet") == "greeting"
    assert need_type_for_intent("something_new") == "out_of_scope"


def test_add_need_keeps_order_and_drops_repeats_and_unknowns():
    assert add_need(["legal", "made_up"], "housing") == ["legal", "housing"]
    assert add_need(["legal"], "legal") == ["legal"]
    assert add_need(None, None) == []


@pytest.mark.parametrize(
    ("role", "need", "offered", "step"),
    [
        ("survivor", "housing", False, "offer_risk"),
        ("survivor", "housing", True, "services"),
        ("survivor", None, False, "ask_need"),
        ("survivor", "recognise_abuse", False, "services"),
        ("survivor", "immediate_danger", False, "services"),
        ("friend", "immediate_danger", False, "services"),
        ("friend", "legal", False, "friend"),
        ("professional", None, False, "professional"),
        ("behaviour_change", "behaviour_change", False, "behaviour_change"),
    ],
)
def test_next_step(role, need, offered, step):
    assert next_step(role, need, offered) == step


def test_a_disclosure_by_someone_new_is_a_survivor_offered_questions_once():
    first = triage_turn("stalking", None, None, False)
    assert (first.role, first.needs, first.next, first.risk_offered) == (
        "survivor",
        ["stalking"],
        "offer_risk",
        True,
    )
    second = triage_turn("housing", first.role, first.needs, first.risk_offered)
    assert (second.needs, second.next) == (["stalking", "housing"], "services")


def test_changing_role_keeps_what_was_said():
    friend = triage_turn("worried_about_someone", None, None, False)
    assert (friend.role, friend.needs, friend.next) == ("friend", [], "friend")
    me = triage_turn("im_survivor", friend.role, ["legal"], friend.risk_offered)
    assert (me.role, me.needs, me.next) == ("survivor", ["legal"], "ask_need")


def test_a_professional_naming_a_need_stays_a_professional():
    pro = triage_turn("im_professional", None, None, False)
    assert (pro.role, pro.needs, pro.next) == ("professional", ["professional_referral"],
                                               "professional")  # fmt: skip
    need = triage_turn("safe_accommodation", pro.role, pro.needs, False)
    assert need.role == "professional"
    assert need.needs == ["professional_referral", "safe_accommodation"]


def test_not_knowing_who_did_what_asks_and_changes_nothing_yet():
    turn = triage_turn("behaviour_change", None, ["housing"], False, ask_role=True)
    assert turn.next == NEXT_ASK_ROLE
    assert turn.role == SURVIVOR
    assert turn.needs == ["housing"]
    assert not turn.risk_offered
