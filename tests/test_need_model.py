"""The need classifier (bot/need_model.py) and its lexicon (bot/lexicon.py) without Rasa."""

import pytest

from bot.lexicon import NEED_LEXICON, lexicon_counts
from bot.need_model import LexiconFeatures, Ranker, train
from bot.triage import NEED_TYPES

TRAIN = {
    "safe_accommodation": [
        "I need a refuge",
        "nowhere to go tonight",
        "somewhere safe to stay",
        "can I get into a refuge",
        "I'm homeless since I left",
        "a safe place away from him",
    ],
    "financial": [
        "he controls all my money",
        "debts in my name",
        "I can't afford to leave",
        "help with benefits",
        "he takes my wages",
        "no money of my own",
    ],
    "greet": ["hello", "hi", "hiya", "good morning", "hey there", "hi is anyone there"],
}


def test_lexicon_names_only_known_needs_and_roles():
    assert set(NEED_LEXICON) <= set(NEED_TYPES) | {"worried_about_someone"}


def test_lexicon_counts_point_to_the_right_need():
    counts = dict(zip(NEED_LEXICON, lexicon_counts("Is there a REFUGE? I have nowhere to go"),
                      strict=True))  # fmt: skip
    assert counts["safe_accommodation"] >= 2
    assert counts["tech_safety"] == 0


def test_features_include_the_danger_rules():
    rows = LexiconFeatures().transform(["he's outside with a knife", "I want to die", "hello"])
    assert rows.shape == (3, len(NEED_LEXICON) + 2)
    assert rows[0, -2] == 1 and rows[0, -1] == 0
    assert rows[1, -1] == 1
    assert rows[2].sum() == 0


def test_trained_model_ranks_every_intent_and_gets_unseen_messages_right():
    texts = [t for ts in TRAIN.values() for t in ts]
    intents = [i for i, ts in TRAIN.items() for _ in ts]
    rank = Ranker(train(texts, intents)).rank
    ranking = rank("is there a refuge with space for my kids")
    assert [name for name, _ in ranking][0] == "safe_accommodation"
    assert {name for name, _ in ranking} == set(TRAIN)
    assert abs(sum(p for _, p in ranking) - 1.0) < 1e-6
    assert rank("he has run up debts and I have no money")[0][0] == "financial"
    assert rank("helo")[0][0] == "greet"


def test_ranking_gives_the_same_probabilities_as_the_whole_pipeline():
    texts = [t for ts in TRAIN.values() for t in ts]
    intents = [i for i, ts in TRAIN.items() for _ in ts]
    model = train(texts, intents)
    ranker = Ranker(model)
    for text in [
        "he's outside with a knife",  # a danger rule feature
        "debts",
        "no refuge",
        "refuge refuge refuge, money money",  # repeated terms: sublinear tf
        "mój partner mnie bije",
        "zzz",
        "",
        "hello there",
    ]:
        expected = dict(zip(model.classes_, model.predict_proba([text])[0], strict=True))
        assert dict(ranker.rank(text)) == pytest.approx(expected, abs=1e-12)
