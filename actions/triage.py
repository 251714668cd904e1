"""Slot-setting actions of the triage dialogue: thin adapters over bot.triage, bot.risk and
bot.disclosure. They only set slots; rules in data/rules choose what is said next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import role as role_safety
from bot.disclosure import Disclosure, UserMessage, gather
from bot.risk import (
    NO,
    RISK_QUESTIONS,
    YES,
    higher_tier,
    indicators_from_answers,
    merge_indicators,
    professional_tier,
    survivor_tier,
)
from bot.triage import (
    AUDIENCE_FACTS,
    SLOT_AUDIENCE,
    SLOT_DISTRICT,
    SLOT_HIGH_RISK_INDICATORS,
    SLOT_NEED_TYPES,
    SLOT_RISK_TIER,
    SLOT_USER_ROLE,
    add_need,
    need_for_intent,
    triage_turn,
)
from safety.replies import EMERGENCY

SLOT_TRIAGE_NEXT = "triage_next"
SLOT_RISK_OFFERED = "risk_offered"
SLOT_RISK_OUTCOME = "risk_outcome"
PROFESSIONAL_ANSWERS = ("pro_dash", "pro_judgement", "pro_escalation", "pro_repeat")


def _disclosure(tracker: Tracker) -> Disclosure:
    """What every user message of this session has told us."""
    messages = [
        UserMessage(e.get("text") or "", (e.get("parse_data") or {}).get("entities") or [])
        for e in tracker.events
        if e.get("event") == "user"
    ]
    extra = ["pregnant"] if tracker.get_slot("risk_pregnancy") == YES else []
    client = tracker.get_slot("client_answer")
    if client in AUDIENCE_FACTS:
        extra.append(client)
    return gather(messages, extra)


def _session_intents(tracker: Tracker) -> list[str]:
    return [
        ((e.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        for e in tracker.events
        if e.get("event") == "user"
    ]


def _fact_events(disclosure: Disclosure) -> list[dict[str, Any]]:
    events = [SlotSet(SLOT_AUDIENCE, disclosure.audience)]
    if disclosure.district:
        events.append(SlotSet(SLOT_DISTRICT, disclosure.district))
    return events


class ActionTriage(Action):
    """Who is writing, what they need, and which step comes next."""

    def name(self) -> str:
        return "action_triage"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        listed = latest.get("intent_ranking") or [latest.get("intent") or {}]
        ranking = [(r.get("name"), r.get("confidence") or 0.0) for r in listed]
        route = role_safety.route(latest.get("text") or "", ranking)
        danger = (latest.get("danger") or {}).get("immediate_danger")
        if danger and tracker.get_intent_of_latest_message() != "immediate_danger":
            # The learned detector saw danger in a message about a need: 999 guidance first
            # (the channel puts it first, once), then the need as asked.
            dispatcher.utter_message(json_message={"kind": EMERGENCY})
        turn = triage_turn(
            tracker.get_intent_of_latest_message(),
            tracker.get_slot(SLOT_USER_ROLE),
            tracker.get_slot(SLOT_NEED_TYPES),
            bool(tracker.get_slot(SLOT_RISK_OFFERED)),
            ask_role=route == role_safety.ASK_ROLE,
        )
        disclosure = _disclosure(tracker)
        # What people tell us in their own words counts even if they never answer questions;
        # it can only raise a tier set earlier.
        told = survivor_tier(disclosure.indicators, answered=0)
        return [
            SlotSet(SLOT_USER_ROLE, turn.role),
            SlotSet(SLOT_NEED_TYPES, turn.needs),
            SlotSet(SLOT_RISK_OFFERED, turn.risk_offered),
            SlotSet(SLOT_HIGH_RISK_INDICATORS, disclosure.indicators),
            SlotSet(SLOT_RISK_TIER, higher_tier(tracker.get_slot(SLOT_RISK_TIER), told)),
            *_fact_events(disclosure),
            SlotSet(SLOT_TRIAGE_NEXT, turn.next),
        ]


class ActionAssessRisk(Action):
    """The survivor's risk tier from their answers and what they told us in their words."""

    def name(self) -> str:
        return "action_assess_risk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answers = {slot: tracker.get_slot(slot) for slot in RISK_QUESTIONS}
        disclosure = _disclosure(tracker)
        indicators = merge_indicators(indicators_from_answers(answers), disclosure.indicators)
        answered = sum(1 for a in answers.values() if a in (YES, NO))
        tier = survivor_tier(indicators, answered)
        return [
            SlotSet(SLOT_RISK_TIER, tier),
            SlotSet(SLOT_HIGH_RISK_INDICATORS, indicators),
            *_fact_events(disclosure),
            SlotSet(SLOT_RISK_OUTCOME, tier or "unknown"),
        ]


class ActionAssessProfessionalRisk(Action):
    """The tier from a professional's Dash count and MARAC criteria; their judgement and what
    they describe can only raise it."""

    def name(self) -> str:
        return "action_assess_professional_risk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        needs = tracker.get_slot(SLOT_NEED_TYPES)
        for intent in _session_intents(tracker):  # the answer about needs, typed or a button
            needs = add_need(needs, need_for_intent(intent))
        assessment = professional_tier(*(tracker.get_slot(s) for s in PROFESSIONAL_ANSWERS))
        disclosure = _disclosure(tracker)
        described = survivor_tier(disclosure.indicators, 0)
        tier = higher_tier(assessment.tier, described)
        return [
            SlotSet(SLOT_NEED_TYPES, needs),
            SlotSet(SLOT_RISK_TIER, tier),
            SlotSet(SLOT_HIGH_RISK_INDICATORS, disclosure.indicators),
            *_fact_events(disclosure),
            SlotSet(SLOT_RISK_OUTCOME, tier or "unknown"),
        ]
