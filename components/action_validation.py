"""Check action server responses against Rasa's schema, with less work and the same verdicts.

Rasa 3.6 checks every action server response with ``jsonschema.validate``, which checks the
(large) schema itself against its metaschema each time: about 46 ms per custom action on this
machine, most of a turn's time. Validators built once from the same schema avoid that. The
schema also says each event must fit exactly one of 23 event shapes (``oneOf``), so every
event was checked against all 23; as each shape fixes a different ``event`` name, an event
fits exactly one shape exactly when it fits the shape its name picks, and only that one is
checked. ``tests/test_action_validation.py`` holds this to Rasa's own answers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction


@dataclass(frozen=True)
class ResponseValidator:
    response: Validator  # the whole response, except the choice of event shape
    event_shapes: dict[str, Validator]  # the event shape for each event name

    def validate(self, result: dict[str, Any]) -> None:
        self.response.validate(result)
        for event in result.get("events") or []:
            shape = self.event_shapes.get(event["event"])
            if shape is None:
                raise ValidationError(f"{event['event']!r} is not a known event")
            shape.validate(event)


@cache
def _validator() -> ResponseValidator:
    """Rasa's response schema, checked once and split into compiled validators (of the class
    Rasa's call would pick)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    response = copy.deepcopy(schema)
    shapes = response["properties"]["events"]["items"].pop("oneOf")
    names = [shape["properties"]["event"]["const"] for shape in shapes]
    if len(set(names)) != len(names):
        raise ValueError("Rasa's event shapes no longer each fix their own event name.")
    return ResponseValidator(
        validator_class(response),
        {name: validator_class(shape) for name, shape in zip(names, shapes, strict=True)},
    )


def _validate_with_compiled_schema(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate Action server response from API."
        raise
    return True


def use_compiled_validator() -> None:
    """Make Rasa's remote actions validate responses with the compiled validators."""
    RemoteAction._validate_action_result = _validate_with_compiled_schema
