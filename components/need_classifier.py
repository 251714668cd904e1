"""Rasa adapter for bot.need_model: trains it on the NLU data, stores it in the model, and
sets the intent and its ranking on each message."""

from __future__ import annotations

import re
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import need_model
from bot.settings import load_settings
from components.sentence_encoder import SENTENCE_KEY

MODEL_FILE = "need_model.joblib"
PAYLOAD = re.compile(r"^/([^{@\s]+)")
RANKING_LENGTH = 10


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NeedClassifier(GraphComponent, IntentClassifier):
    def __init__(
        self, model_storage: ModelStorage, resource: Resource, model: Any | None = None
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._ranker = need_model.Ranker(model) if model is not None else None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NeedClassifier:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        cache = load_settings().models_dir / "embedding-cache"
        self._model = need_model.train([e.get(TEXT) for e in examples],
                                       [e.get(INTENT) for e in examples],
                                       cache_dir=cache)  # fmt: skip
        self._ranker = need_model.Ranker(self._model)
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NeedClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                return cls(model_storage, resource, joblib.load(directory / MODEL_FILE))
        except ValueError:  # nothing was trained (no NLU data)
            return cls(model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self._ranker is None or not message.get(TEXT):
                continue
            ranking = [
                {"name": name, "confidence": p}
                for name, p in self._rank(message.get(TEXT), message.get(SENTENCE_KEY))
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _rank(self, text: str, sentence: Any) -> list[tuple[str, float]]:
        # A button's payload ("/affirm") names its intent; Rasa's RegexMessageHandler sets it
        # at the end of the pipeline anyway, so the model need not be asked.
        payload = PAYLOAD.match(text)
        if payload and payload.group(1) in self._ranker.classes:
            return [(payload.group(1), 1.0)]
        return self._ranker.rank(text, sentence)[:RANKING_LENGTH]
