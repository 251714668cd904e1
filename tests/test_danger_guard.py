"""The danger guard component forces the intent whatever the classifier said."""

import pytest

pytest.importorskip("rasa")

from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from components.danger_guard import DangerGuard  # noqa: E402


def parsed(text: str, intent: str = "housing") -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.9})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9}])
    return message


def guard(message: Message) -> Message:
    return DangerGuard().process([message])[0]


def test_danger_overrides_the_model():
    message = guard(parsed("he's outside with a knife"))
    assert message.get("intent") == {"name": "immediate_danger", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "immediate_danger"
    assert message.get("danger")["immediate_danger"] is True


def test_suicidal_feelings_override_the_model():
    message = guard(parsed("I want to end my life", "counselling"))
    assert message.get("intent")["name"] == "suicidal_feelings"


def test_danger_wins_over_suicide():
    message = guard(parsed("he's going to kill me and I want to die"))
    assert message.get("intent")["name"] == "immediate_danger"


def test_no_danger_leaves_the_model_alone():
    message = guard(parsed("can I get my locks changed"))
    assert message.get("intent") == {"name": "housing", "confidence": 0.9}
    assert message.get("danger") == {"immediate_danger": False, "suicide_risk": False, "rules": []}


def test_button_payloads_are_left_alone():
    message = guard(parsed("/affirm", "affirm"))
    assert message.get("intent")["name"] == "affirm"
