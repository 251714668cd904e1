"""The dialogue's side of the callback: action_offer_callback hands over facts only, and
action_suggest_services asks for the offer at high risk, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.callback import ActionOfferCallback
from actions.services import ActionSuggestServices
from tests.test_triage_actions import tracker, user_event

MARKER = "Quokkaberry"


def test_the_offer_carries_the_facts_and_never_the_words():
    events = [
        user_event(f"I'm {MARKER}, he put his hands round my neck", "advocacy_safety"),
        user_event(
            f"we live on {MARKER} Lane", "inform", [{"entity": "district", "value": MARKER}]
        ),
    ]
    slots = {
        "need_types": ["advocacy_safety"],
        "risk_tier": "high",
        "high_risk_indicators": ["strangulation"],
        "district": MARKER,  # a place the lookup did not know, as typed
        "audience": ["woman"],
        "user_role": "survivor",
        "language": "ur",
        "risk_weapon": "yes",
    }
    dispatcher = CollectingDispatcher()
    result = ActionOfferCallback().run(dispatcher, tracker(events, slots), {})
    [message] = dispatcher.messages
    assert message["custom"] == {
        "kind": "callback",
        "data": {
            "needs": ["advocacy_safety"],
            "risk_tier": "high",
            "indicators": ["strangulation", "weapon"],
            "district": None,
            "audience": ["woman"],
            "user_role": "survivor",
            "language": "ur",
        },
    }
    assert MARKER not in repr(dispatcher.messages)
    assert result == [
        {"event": "slot", "timestamp": None, "name": "callback_offered", "value": True}
    ]


def suggest(monkeypatch, seeded_directory: Path, tmp_path: Path, **slots) -> bool:
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    monkeypatch.setenv("OFD_INSTANCE_DIR", str(instance))
    state = Tracker("t", slots, {"text": "x", "intent": {}}, [], False, None, {}, None)
    [event] = ActionSuggestServices().run(CollectingDispatcher(), state, {})
    return event["value"]


@pytest.mark.parametrize(
    "slots, offered",
    [({"risk_tier": "high"}, True), ({"need_types": ["immediate_danger"]}, True),
     ({"risk_tier": "high", "user_role": "friend"}, True),
     ({"risk_tier": "high", "callback_offered": True}, False),
     ({"risk_tier": "medium"}, False), ({}, False),
     ({"risk_tier": "high", "user_role": "professional"}, False)],
)  # fmt: skip
def test_services_ask_for_the_offer_at_high_risk_once(
    monkeypatch, seeded_directory, tmp_path, slots, offered
):
    assert suggest(monkeypatch, seeded_directory, tmp_path, **slots) is offered
