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
    return DangerGuard(None).process([message])[0]


class AlwaysDanger:
    """Stands in for the learned detector: sees danger in every message."""

    def sees_danger(self, text: str, sentence: object) -> bool:
        return True


def learned_guard(message: Message) -> Message:
    message.set("sentence_vector", [0.0])
    return DangerGuard(AlwaysDanger()).process([message])[0]


def test_learned_danger_in_a_need_keeps_the_need_and_flags_danger():
    # action_triage then asks for the 999 guidance first and goes on with the need.
    message = learned_guard(parsed("he poured something on the stairs", "advocacy_safety"))
    assert message.get("intent")["name"] == "advocacy_safety"
    assert message.get("danger")["immediate_danger"] is True
    assert message.get("danger")["rules"] == ["learned"]


def test_learned_danger_without_a_need_forces_the_danger_intent():
    for intent in ("out_of_scope", "nlu_fallback", "greet", "affirm", "ordinary_problem"):
        message = learned_guard(parsed("the smoke is coming under the door", intent))
        assert message.get("intent")["name"] == "immediate_danger", intent


def test_rules_force_the_danger_intent_even_with_a_need():
    message = learned_guard(parsed("he's outside with a knife", "housing"))
    assert message.get("intent")["name"] == "immediate_danger"


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
