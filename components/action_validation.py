"""Check action server responses with a compiled JSON-schema validator.

Rasa 3.6 checks every action server response with ``jsonschema.validate``, which checks the
(large) schema itself against its metaschema each time: about 46 ms per custom action on this
machine, most of a turn's time. A validator built once from the same schema gives the same
verdicts in under 1 ms. ``tests/test_action_validation.py`` holds the two to the same answers.
"""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction

_VALIDATOR = None


def _validate_with_compiled_schema(self: RemoteAction, result: dict[str, Any]) -> bool:
    global _VALIDATOR  # noqa: PLW0603 - built once, on first use, then shared
    if _VALIDATOR is None:
        schema = RemoteAction.action_response_format_spec()
        validator_class = validators.validator_for(schema)
        validator_class.check_schema(schema)
        _VALIDATOR = validator_class(schema)
    try:
        _VALIDATOR.validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate Action server response from API."
        raise
    return True


def use_compiled_validator() -> None:
    """Make Rasa's remote actions validate responses with the compiled validator."""
    RemoteAction._validate_action_result = _validate_with_compiled_schema
