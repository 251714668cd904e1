"""Rasa adapter for bot.encoder: puts each message's sentence vector on the message, once,
for the need classifier and the danger guard that follow it in the pipeline."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder import shared_encoder

# The key under which the vector travels on a message (never part of the parse output).
SENTENCE_KEY = "sentence_vector"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoder(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoder:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # The need classifier encodes its training examples itself, with a cache.
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith("/"):  # a button payload names its intent
                message.set(SENTENCE_KEY, shared_encoder().embed(text))
        return messages
