"""Danger guard: safety.danger (the phrase rules and the learned detector), run inside the
Rasa NLU pipeline.

Placed after the intent classifiers (including FallbackClassifier), it forces the intent
`immediate_danger` when the phrase rules see danger, and `suicidal_feelings` when they see
suicidal feelings, whatever the intent model predicted. When only the learned detector
(safety/danger_model.py) sees danger and the message names a need, the need is kept and the
danger flag in the parse output makes action_triage ask for the 999 guidance first: the person
is told about 999 and still gets the help they asked for. Models can add danger; they can
never take away danger the rules saw.
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

from bot.settings import load_settings
from bot.triage import TRIAGE_INTENTS
from components.sentence_encoder import SENTENCE_KEY
from safety import danger_model
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
        return cls(danger_model.load(danger_model.path_in(load_settings().models_dir)))

    def __init__(self, detector: danger_model.DangerModel | None) -> None:
        # Without a trained detector (never after `make run`) the phrase rules still run.
        self._detector = detector

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # a button payload names its intent already
                continue
            assessment = assess(text, message.get(SENTENCE_KEY), self._detector)
            message.set(
                DANGER_KEY,
                {
                    "immediate_danger": assessment.immediate_danger,
                    "suicide_risk": assessment.suicide_risk,
                    "rules": list(assessment.rules),
                },
                add_to_output=True,
            )
            named = (message.get(INTENT) or {}).get("name")
            if assessment.learned_only and named in TRIAGE_INTENTS:
                continue  # action_triage shows the 999 guidance and keeps the need
            if named == DANGER_INTENT and not assessment.immediate_danger:
                # Danger is decided here: the intent model's own "danger" reading, without
                # the rules or the detector, added false alarms and no danger found on the
                # development set (docs/triage.md); its next reading is used instead.
                _drop_intent(message, DANGER_INTENT)
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


def _drop_intent(message: Message, name: str) -> None:
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
