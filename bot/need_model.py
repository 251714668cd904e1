"""The intent classifier: a linear model over words, character n-grams and the need lexicon.

Short, varied messages with typos need character n-grams (``housng`` still looks like
``housing``); the need lexicon (bot/lexicon.py) helps the model with little data per need.
Logistic regression gives probabilities directly, so confidence and the fallback threshold
mean something; it trains in a few seconds. C and the lexicon weight were chosen by
cross-validation (bench/eval_nlu.py): a calibrated linear SVM scored about 0.01 lower.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.lexicon import lexicon_counts
from safety.danger import assess
from safety.text import normalise

C = 20  # inverse regularisation strength
LEXICON_WEIGHT = 0.7  # the lexicon's say beside the n-grams
MAX_ITER = 3000


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """One feature per need: how many of its lexicon patterns a message matches; and two for
    the danger phrase rules (immediate danger, suicidal feelings), so that the model learns
    danger from the rules rather than from words such as "he's"."""

    def fit(self, texts: Sequence[str], y: object = None) -> LexiconFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        rows = []
        for text in texts:
            danger = assess(text)
            rows.append([*lexicon_counts(text), danger.immediate_danger, danger.suicide_risk])
        return csr_matrix(np.array(rows, dtype=float))


def build_model() -> Pipeline:
    """An untrained model."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2),
                                      sublinear_tf=True, token_pattern=r"\S+")),
            ("characters", TfidfVectorizer(preprocessor=normalise, analyzer="char_wb",
                                           ngram_range=(2, 5), sublinear_tf=True)),
            ("lexicon", LexiconFeatures()),
        ],
        transformer_weights={"lexicon": LEXICON_WEIGHT},
    )  # fmt: skip
    classifier = LogisticRegression(C=C, max_iter=MAX_ITER, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


def features(model: Pipeline, text: str) -> csr_matrix:
    """The model's features for one message: what its FeatureUnion computes, without the
    joblib dispatch that FeatureUnion.transform adds, which costs more than the features."""
    union: FeatureUnion = model.named_steps["features"]
    weights = union.transformer_weights or {}
    parts = [part.transform([text]) * weights.get(name, 1)
             for name, part in union.transformer_list]  # fmt: skip
    return hstack(parts, format="csr")


def train(texts: Sequence[str], intents: Sequence[str]) -> Pipeline:
    return build_model().fit(list(texts), np.asarray(intents))


def rank(model: Pipeline, text: str) -> list[tuple[str, float]]:
    """Every intent with its probability, most likely first."""
    probabilities = model.named_steps["classifier"].predict_proba(features(model, text))[0]
    order = np.argsort(probabilities)[::-1]
    return [(str(model.classes_[i]), float(probabilities[i])) for i in order]
