"""Danger guard: the phrase rules of safety.danger, run inside the Rasa NLU pipeline.

Placed after the intent classifiers (including FallbackClassifier), it forces the intent
`immediate_danger` when the rules see danger, and `suicidal_feelings` when they see suicidal
feelings, whatever the model predicted. The model can add danger it recognises; it can never
take away danger the rules saw.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from safety.danger import assess

DANGER_INTENT = "immediate_danger"
SUICIDE_INTENT = "suicidal_feelings"
# Extra output on each parsed message: which rule names fired (names only, never text).
DANGER_KEY = "danger"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DangerGuard(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # a button payload names its intent already
                continue
            assessment = assess(text)
            message.set(
                DANGER_KEY,
                {
                    "immediate_danger": assessment.immediate_danger,
                    "suicide_risk": assessment.suicide_risk,
                    "rules": list(assessment.rules),
                },
                add_to_output=True,
            )
            if assessment.immediate_danger:
                _force_intent(message, DANGER_INTENT)
            elif assessment.suicide_risk:
                _force_intent(message, SUICIDE_INTENT)
        return messages


def _force_intent(message: Message, name: str) -> None:
    forced = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)
