"""The intent classifier: a linear model over words, character n-grams and the need lexicon.

Short, varied messages with typos need character n-grams (``housng`` still looks like
``housing``); the need lexicon (bot/lexicon.py) helps the model with little data per need.
A linear SVM trains in about a second; sigmoid calibration turns its scores into
probabilities, so confidence and the fallback threshold mean something.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC

from bot.lexicon import lexicon_counts
from safety.danger import assess
from safety.text import normalise

C = 0.5  # chosen by cross-validation (bench/eval_nlu.py); lower regularises more
CALIBRATION_FOLDS = 3


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


def build_model(smallest_class: int) -> Pipeline:
    """An untrained model; ``smallest_class`` (examples of the rarest intent) bounds the
    number of calibration folds."""
    features = make_union(
        TfidfVectorizer(
            preprocessor=normalise, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"
        ),
        TfidfVectorizer(
            preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True
        ),
        LexiconFeatures(),
    )
    svm = LinearSVC(C=C, class_weight="balanced")
    folds = max(2, min(CALIBRATION_FOLDS, smallest_class))
    return Pipeline([("features", features), ("classifier", CalibratedClassifierCV(svm, cv=folds))])


def train(texts: Sequence[str], intents: Sequence[str]) -> Pipeline:
    counts = {i: intents.count(i) for i in set(intents)}
    model = build_model(min(counts.values()))
    return model.fit(list(texts), np.asarray(intents))


def rank(model: Pipeline, text: str) -> list[tuple[str, float]]:
    """Every intent with its probability, most likely first."""
    probabilities = model.predict_proba([text])[0]
    order = np.argsort(probabilities)[::-1]
    return [(str(model.classes_[i]), float(probabilities[i])) for i in order]
