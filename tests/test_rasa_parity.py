"""Our speed-ups of Rasa's serving (components/) give stock Rasa's answers for the project's
model: the same parse of each message, and the same next-action prediction at every step of
every test story as Rasa's Dask runner with Rasa's own rule matching."""

import copy
import json
from pathlib import Path

import pytest
import rasa.core.processor
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.slots import CategoricalSlot, ListSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

import components  # noqa: F401 - importing the package switches the speed-ups on
from bot.settings import PROJECT_ROOT
from components.graph_runner import SequentialGraphRunner
from components.rule_matching import STOCK_GET_POSSIBLE_KEYS
from components.sentence_encoder import SENTENCE_KEY

STORIES = sorted(Path(__file__).parent.joinpath("stories").glob("*.yml"))
MESSAGES = [
    "hello",
    "my partner controls everything I do",
    "he is outside and trying to get in",
    "I'm a GP and want to know where to refer a patient",
    "I live in Watford",
    "housng help pls",
    "mój partner mnie bije",
    "/affirm",
    '/inform{"district": "Stevenage"}',
    "?",
]


@pytest.fixture(scope="module")
def runners(trained_model, tmp_path_factory):
    loaded = {}
    for runner_class in (DaskGraphRunner, SequentialGraphRunner):
        storage = tmp_path_factory.mktemp(runner_class.__name__)
        loaded[runner_class] = load_predict_graph_runner(
            storage, trained_model, LocalModelStorage, runner_class
        )
    return loaded


def test_the_rasa_server_loads_models_with_the_sequential_runner():
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner


@pytest.mark.parametrize("text", MESSAGES)
def test_parses_each_message_as_dask_does(runners, text):
    message, parses = UserMessage(text), []
    for metadata, runner in runners.values():
        tracker = DialogueStateTracker("parity", metadata.domain.slots)
        inputs = {PLACEHOLDER_MESSAGE: [message], PLACEHOLDER_TRACKER: tracker}
        result = runner.run(inputs=inputs, targets=[metadata.nlu_target])
        parses.append(result[metadata.nlu_target][0].as_dict())
    dask_parse, sequential_parse = parses
    # The sentence vector (an array, components/sentence_encoder.py) is compared on its own.
    dask_vector = dask_parse.pop(SENTENCE_KEY, None)
    sequential_vector = sequential_parse.pop(SENTENCE_KEY, None)
    assert (dask_vector is None) == (sequential_vector is None)
    if dask_vector is not None:
        assert (dask_vector == sequential_vector).all()
    assert sequential_parse == dask_parse
    assert sequential_parse["intent"]["name"]


def test_rule_matching_is_ours_in_the_server():
    assert RulePolicy._get_possible_keys is not STOCK_GET_POSSIBLE_KEYS


@pytest.mark.parametrize("story_file", STORIES, ids=lambda path: path.stem)
def test_predicts_every_story_step_as_stock_rasa_does(runners, story_file, monkeypatch):
    metadata, _ = runners[DaskGraphRunner]
    steps = YAMLStoryReader(metadata.domain).read_from_file(story_file)
    compared = 0
    for step in steps:
        for index, event in enumerate(step.events):
            if not isinstance(event, ActionExecuted):
                continue
            tracker = DialogueStateTracker.from_events(
                "parity", step.events[:index], slots=metadata.domain.slots
            )
            ours = predict(runners[SequentialGraphRunner], tracker)
            with monkeypatch.context() as stock:
                stock.setattr(RulePolicy, "_get_possible_keys", STOCK_GET_POSSIBLE_KEYS)
                assert ours == predict(runners[DaskGraphRunner], tracker)
            compared += 1
    assert compared >= step_count(story_file)


def predict(loaded, tracker: DialogueStateTracker):
    metadata, runner = loaded
    result = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[metadata.core_target])
    return result[metadata.core_target]


def step_count(story_file: Path) -> int:
    """How many bot actions the file's stories have: each is one prediction compared."""
    return story_file.read_text().count("- action:")


def test_refuses_an_input_named_like_a_node(runners):
    metadata, runner = runners[SequentialGraphRunner]
    with pytest.raises(GraphRunError):
        runner.run(inputs={metadata.core_target: None}, targets=[metadata.core_target])


def test_rule_matching_follows_rules_removed_or_added_after_a_first_match():
    policy = RulePolicy.__new__(RulePolicy)  # matching needs no trained state
    greet = json.dumps([{"prev_action": {"action_name": "action_listen"},
                         "user": {"intent": "greet"}}])  # fmt: skip
    greet_again = json.dumps([{"user": {"intent": "greet"},
                               "prev_action": {"action_name": "action_listen"}}])  # fmt: skip
    after_greeting = json.dumps([{"prev_action": {"action_name": "utter_greet"}}])
    lookup = {greet: "utter_greet", after_greeting: "action_listen"}
    states = [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}]

    def both() -> tuple[set[str], set[str]]:
        return policy._get_possible_keys(lookup, states), STOCK_GET_POSSIBLE_KEYS(
            policy, lookup, states
        )

    assert both() == ({greet}, {greet})
    del lookup[greet]  # RulePolicy's training removes rules from its lookup in place
    lookup[greet_again] = "utter_greet"
    assert both() == ({greet_again}, {greet_again})


def test_slots_copy_as_copy_copy_did():
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    assert {type(slot) for slot in domain.slots} >= {TextSlot, CategoricalSlot, ListSlot}
    for slot in domain.slots:
        slot.value = slot.initial_value or ["a value"]
        stock = copy._reconstruct(slot, None, *slot.__reduce_ex__(4))
        ours = copy.copy(slot)
        assert type(ours) is type(slot) and ours is not slot
        assert vars(ours) == vars(stock)
        ours.value = "changed"
        assert slot.value != "changed"
