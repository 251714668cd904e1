"""The slot-setting actions (actions/triage.py) on real rasa_sdk trackers."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.triage import ActionAssessProfessionalRisk, ActionAssessRisk, ActionTriage


def user_event(text: str, intent: str, entities: list[dict] | None = None) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": 1.0},
            "intent_ranking": [{"name": intent, "confidence": 1.0}],
            "entities": entities or [],
        },
    }


def tracker(events: list[dict], slots: dict | None = None) -> Tracker:
    latest = events[-1]
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={"text": latest["text"], **latest["parse_data"]},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker) -> tuple[dict, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher


def test_triage_sets_the_contract_slots_from_the_whole_conversation():
    events = [
        user_event(
            "we live in Hoddesdon", "inform", [{"entity": "district", "value": "Broxbourne"}]
        ),
        user_event(
            "my ex keeps following me and I'm pregnant",
            "stalking",
            [{"entity": "audience", "value": "pregnant"}],
        ),  # fmt: skip
    ]
    slots, dispatcher = run(ActionTriage(), tracker(events))
    assert slots == {
        "user_role": "survivor",
        "need_types": ["stalking"],
        "risk_offered": True,
        "high_risk_indicators": ["pregnancy_or_new_baby", "stalking"],
        "risk_tier": "medium",  # two indicators told in their own words
        "audience": ["pregnant"],
        "district": "Broxbourne",
        "triage_next": "offer_risk",
    }
    assert dispatcher.messages == []  # what is said next is up to the rules


def test_triage_after_danger_goes_straight_to_services():
    events = [user_event("he's outside with a knife", "immediate_danger")]
    slots, _ = run(ActionTriage(), tracker(events, {"need_types": ["housing"]}))
    assert slots["need_types"] == ["housing", "immediate_danger"]
    assert slots["triage_next"] == "services"
    assert "weapon" in slots["high_risk_indicators"]
    assert slots["risk_tier"] == "high"


def test_triage_never_lowers_a_tier_set_earlier():
    events = [user_event("can I get my locks changed", "housing")]
    slots, _ = run(ActionTriage(), tracker(events, {"risk_tier": "high"}))
    assert slots["risk_tier"] == "high"


def test_risk_answers_give_a_tier_and_skips_are_respected():
    answers = {
        "risk_strangulation": "skip",
        "risk_threats": "no",
        "risk_weapon": "no",
        "risk_fear": "yes",
        "risk_escalation": "yes",
        "risk_separation": "skip",
        "risk_pregnancy": "yes",
    }
    events = [user_event("I need help with money", "financial")]
    slots, _ = run(ActionAssessRisk(), tracker(events, answers))
    assert slots["risk_tier"] == "medium"
    assert slots["risk_outcome"] == "medium"
    assert slots["high_risk_indicators"] == [
        "fear_of_being_killed",
        "escalation",
        "pregnancy_or_new_baby",
    ]
    assert slots["audience"] == ["pregnant"]


def test_skipping_every_question_leaves_the_tier_unset():
    answers = {slot: "skip" for slot in (
        "risk_strangulation", "risk_threats", "risk_weapon", "risk_fear",
        "risk_escalation", "risk_separation", "risk_pregnancy")}  # fmt: skip
    slots, _ = run(ActionAssessRisk(), tracker([user_event("skip", "skip_question")], answers))
    assert slots["risk_tier"] is None
    assert slots["risk_outcome"] == "unknown"


def test_what_was_said_in_own_words_counts_even_when_questions_are_skipped():
    events = [user_event("he strangled me last week", "advocacy_safety")]
    slots, _ = run(ActionAssessRisk(), tracker(events, {"risk_strangulation": "skip"}))
    assert slots["risk_tier"] == "high"


def test_professional_marac_route_and_client_facts():
    answers = {
        "pro_dash": "11",
        "pro_judgement": "yes",
        "pro_escalation": "no",
        "pro_repeat": "skip",
        "client_answer": "deaf",
        "district_answer": "Watford",
    }
    events = [
        user_event("I'm a GP", "im_professional"),
        user_event("Watford", "inform", [{"entity": "district", "value": "Watford"}]),
    ]
    slots, _ = run(ActionAssessProfessionalRisk(), tracker(events, answers))
    assert slots["risk_tier"] == "high"
    assert slots["risk_outcome"] == "high"
    assert slots["audience"] == ["deaf"]
    assert slots["district"] == "Watford"


def test_professional_dash_count_alone():
    answers = {"pro_dash": "10-13", "pro_judgement": "no", "pro_escalation": "no",
               "pro_repeat": "no"}  # fmt: skip
    slots, _ = run(ActionAssessProfessionalRisk(), tracker([user_event("no", "deny")], answers))
    assert slots["risk_tier"] == "medium"


def test_professional_needs_come_from_the_answer_typed_or_chosen():
    answers = {"pro_dash": "skip", "pro_judgement": "skip", "pro_escalation": "skip",
               "pro_repeat": "skip", "pro_need": "she needs a refuge"}  # fmt: skip
    events = [
        user_event("I'm a GP", "im_professional"),
        user_event("she needs a refuge", "safe_accommodation"),
        user_event("/legal", "legal"),
    ]
    slots, _ = run(
        ActionAssessProfessionalRisk(),
        tracker(events, {**answers, "need_types": ["professional_referral"]}),
    )
    assert slots["need_types"] == ["professional_referral", "safe_accommodation", "legal"]
    assert slots["risk_tier"] is None and slots["risk_outcome"] == "unknown"
