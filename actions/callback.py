"""The offer of contact from the One Front Door team: Rasa offers, the channel asks.

The action hands the triage facts to the channel in a marker (``{"kind": "callback"}``); the
channel asks how and when it is safe to make contact. Phone numbers never come through here.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.referrals.facts import CALLBACK, facts_from_slots
from bot.risk import RISK_QUESTIONS
from bot.triage import (
    SLOT_AUDIENCE,
    SLOT_DISTRICT,
    SLOT_HIGH_RISK_INDICATORS,
    SLOT_LANGUAGE,
    SLOT_NEED_TYPES,
    SLOT_RISK_TIER,
    SLOT_USER_ROLE,
)

SLOT_OFFER_CALLBACK = "offer_callback"  # set by action_suggest_services: offer it now
SLOT_CALLBACK_OFFERED = "callback_offered"  # offered once already in this conversation
FACT_SLOTS = (
    SLOT_NEED_TYPES,
    SLOT_RISK_TIER,
    SLOT_HIGH_RISK_INDICATORS,
    SLOT_DISTRICT,
    SLOT_AUDIENCE,
    SLOT_USER_ROLE,
    SLOT_LANGUAGE,
    *RISK_QUESTIONS,
)


class ActionOfferCallback(Action):
    def name(self) -> str:
        return "action_offer_callback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        facts = facts_from_slots({slot: tracker.get_slot(slot) for slot in FACT_SLOTS})
        dispatcher.utter_message(json_message={"kind": CALLBACK, "data": facts.to_payload()})
        return [SlotSet(SLOT_CALLBACK_OFFERED, True)]
