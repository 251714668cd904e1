"""The danger phrase rules (safety/danger.py) on their own, without any model."""

import re

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from safety.danger import assess

DANGER = [
    "he's outside my house right now",
    "hes outside banging on the door",
    "he is trying to break in",
    "help he has a knife",
    "he's got a nife",
    "my husband is strangling me",
    "I can't breathe",
    "he's threatening to stab me",
    "he said he'll kill me tonight",
    "I'm hiding in the bathroom",
    "he's locked me in the bedroom",
    "please send the police",
    "call 999",
    "I'm in danger",
    "im not safe here tonight",
    "my ex found me, he's coming round",
    "he is hurting the kids right now",
    "I'm bleeding",
    "help",
    "SOS",
    "emergency",
    "He\u2019s at the door",  # a curly apostrophe, as phones type it
]
NOT_DANGER = [
    "I need emergency accommodation",
    "how do I get an emergency protection order",
    "what happens if I call the police",
    "he's been hitting me for years",
    "my partner controls all the money",
    "is it normal for him to check my phone",
    "I want to talk to someone about my relationship",
    "I need a refuge",
]
SUICIDE = [
    "I want to kill myself",
    "i just wanna die",
    "I don't want to live anymore",
    "thinking about ending it all",
    "I'd be better off dead",
    "I keep thinking about suicide",
]


@pytest.mark.parametrize("text", DANGER)
def test_immediate_danger_is_seen(text):
    assert assess(text).immediate_danger


@pytest.mark.parametrize("text", NOT_DANGER)
def test_everyday_disclosures_are_not_flagged(text):
    assert not assess(text).any


@pytest.mark.parametrize("text", SUICIDE)
def test_suicidal_feelings_are_seen(text):
    result = assess(text)
    assert result.suicide_risk and result.any


def test_rules_are_named_and_never_carry_text():
    result = assess("he has a knife and he's outside")
    assert set(result.rules) == {"weapon_now", "abuser_present"}
    assert all(re.fullmatch(r"[a-z_]+", name) for name in result.rules)


def _examples(intent: str) -> list[str]:
    data = yaml.safe_load((PROJECT_ROOT / "data/nlu/needs_a.yml").read_text(encoding="utf-8"))
    block = next(b for b in data["nlu"] if b.get("intent") == intent)
    lines = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    return [re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line) for line in lines]


def test_every_danger_training_example_is_caught_by_the_rules_alone():
    missed = [t for t in _examples("immediate_danger") if not assess(t).immediate_danger]
    assert missed == []


def test_every_suicide_training_example_is_caught_by_the_rules_alone():
    missed = [t for t in _examples("suicidal_feelings") if not assess(t).suicide_risk]
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "i took all my tablets about 20 min ago",
        "she's taken 30 paracetamol",
        "ive taken an overdose",
    ],
)
def test_an_overdose_taken_gets_999_and_samaritans(text):
    result = assess(text)
    assert result.immediate_danger and result.suicide_risk


@pytest.mark.parametrize("text", ["I took my tablets this morning", "he took my pills away"])
def test_taking_tablets_as_usual_is_not_an_overdose(text):
    assert not assess(text).any


class Detector:
    """Stands in for the learned detector with a fixed answer."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer

    def sees_danger(self, text: str, sentence: object) -> bool:
        return self.answer


def test_the_learned_detector_can_add_danger_but_never_take_it_away():
    calm, threat = "the smoke is coming under the door", "he's outside with a knife"
    assert assess(calm, [0.0], Detector(True)).immediate_danger
    assert assess(calm, [0.0], Detector(True)).learned_only
    assert assess(threat, [0.0], Detector(False)).immediate_danger
    assert not assess(threat, [0.0], Detector(True)).learned_only
    assert not assess(calm, None, Detector(True)).immediate_danger  # no vector, rules only
