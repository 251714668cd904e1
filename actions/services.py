"""Show services from the directory that fit what the person has told us.

The dialogue (triage) sets the slots read here; any of them may be unset.
"""

from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.callback import SLOT_CALLBACK_OFFERED, SLOT_OFFER_CALLBACK
from bot.contact import front_door_contact
from bot.directory import Person, load_directory, match
from bot.i18n import translate as translate_text
from bot.messages import (
    CHAT_LIMIT,
    REFER_TO_THE_TEAM,
    general_advice_message,
    services_message,
)
from bot.referrals.contact_settings import contact_env
from bot.referrals.facts import should_offer
from bot.settings import load_settings
from bot.triage import (
    PROFESSIONAL,
    SLOT_AUDIENCE,
    SLOT_DISTRICT,
    SLOT_LANGUAGE,
    SLOT_NEED_TYPES,
    SLOT_RISK_TIER,
    SLOT_USER_ROLE,
)
from safety.replies import EMERGENCY


class ActionSuggestServices(Action):
    def name(self) -> str:
        return "action_suggest_services"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        settings = load_settings()
        db = settings.directory_db
        language = tracker.get_slot(SLOT_LANGUAGE)

        def translate(text: str) -> str:
            return translate_text(text, language)

        person = Person.from_values(
            needs=tracker.get_slot(SLOT_NEED_TYPES),
            risk_tier=tracker.get_slot(SLOT_RISK_TIER),
            district=tracker.get_slot(SLOT_DISTRICT),
            role=tracker.get_slot(SLOT_USER_ROLE),
            audience=tracker.get_slot(SLOT_AUDIENCE),
            language=language,
        )
        result = match(load_directory(db), person, limit=CHAT_LIMIT, translate=translate)
        if result.emergency:
            # The channel shows the 999 wording (safety/replies.py) first, exactly once.
            dispatcher.utter_message(json_message={"kind": EMERGENCY})
        # Contact details an admin saved in the advisor console override the environment.
        env = contact_env(os.environ, settings.referrals_db)
        front_door = front_door_contact(db, env, translate)
        dispatcher.utter_message(text=services_message(result, front_door, translate))
        if person.role == PROFESSIONAL:
            dispatcher.utter_message(text=translate(REFER_TO_THE_TEAM))
        # At high risk, a person from the team is offered next (rules: offer_callback).
        offer = should_offer(person.role, person.risk_tier, person.needs)
        return [SlotSet(SLOT_OFFER_CALLBACK, offer and not tracker.get_slot(SLOT_CALLBACK_OFFERED))]


class ActionGeneralAdvice(Action):
    """Citizens Advice and Shelter, for an everyday problem with no abuse in it."""

    def name(self) -> str:
        return "action_general_advice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = tracker.get_slot(SLOT_LANGUAGE)
        directory = load_directory(load_settings().directory_db)
        text = general_advice_message(directory, lambda t: translate_text(t, language))
        if text:
            dispatcher.utter_message(text=text)
        return []
