"""Show services from the directory that fit what the person has told us."""

from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.contact import front_door_contact
from bot.directory import find_services
from bot.messages import services_message
from bot.settings import load_settings
from bot.triage import need_for_intent


class ActionSuggestServices(Action):
    def name(self) -> str:
        return "action_suggest_services"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        db = load_settings().directory_db
        need = need_for_intent(tracker.get_intent_of_latest_message())
        text = services_message(find_services(db, need), front_door_contact(db, os.environ))
        dispatcher.utter_message(text=text)
        return []
