"""The compiled validator gives Rasa's own verdicts on action server responses."""

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401 - importing the package switches the validator on
from components.action_validation import _validate_with_compiled_schema

SPEC = RemoteAction.action_response_format_spec()
VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "need_types", "value": ["housing"]}]},
    {"responses": [{"text": "hello", "buttons": []}]},
    {},
    {
        "events": [
            {"event": "active_loop", "name": "risk_form", "timestamp": None},
            {"event": "bot", "text": "hello", "data": {}, "metadata": {}},
            {"event": "followup", "name": "action_listen"},
            {"event": "restart"},
            {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
        ]
    },
]
INVALID = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": [{"event": "slot", "name": 3}]},  # a name that is not a string
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "risk_form"}]},  # no event name
    {"events": [{"event": 7}]},
    {"events": ["slot"]},
    {"events": [{"event": "user", "parse_data": {"intent": "greet"}}]},
    {"events": [{"event": "slot", "name": "x", "timestamp": "today"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def test_rasa_uses_the_compiled_validator():
    assert RemoteAction._validate_action_result is _validate_with_compiled_schema


@pytest.mark.parametrize("response", VALID)
def test_accepts_what_rasa_accepts(response):
    validate(response, SPEC)
    assert RemoteAction("a", None)._validate_action_result(response) is True


@pytest.mark.parametrize("response", INVALID)
def test_rejects_what_rasa_rejects(response):
    with pytest.raises(ValidationError):
        validate(response, SPEC)
    with pytest.raises(ValidationError):
        RemoteAction("a", None)._validate_action_result(response)
