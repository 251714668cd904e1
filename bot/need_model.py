"""The intent classifier: a linear model over words, character n-grams, the need lexicon and
what the message means (a multilingual sentence vector, bot/encoder.py).

Short, varied messages with typos need character n-grams (``housng`` still looks like
``housing``); the need lexicon (bot/lexicon.py) helps the model with little data per need; the
sentence vector carries meaning across wordings and languages, which words alone cannot (a
Bengali disclosure shares no word with the English examples). Two logistic regressions, one
over the words and one over the meaning, and their probabilities averaged (a probability
ensemble): on the development set it scored as well as one regression over both (a feature
union) and trains four times faster. Logistic regression gives probabilities directly, so
confidence and the fallback threshold mean something. The settings were chosen on the
development set and by cross-validation (docs/triage.md), never on the frozen set.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import softmax
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.encoder import shared_encoder
from bot.lexicon import lexicon_counts
from safety.danger import assess
from safety.text import normalise

C = 20  # inverse regularisation strength of the word model
MIN_DF = 2  # n-grams seen once are noise, and halve the features (and the training time)
LEXICON_WEIGHT = 0.7  # the lexicon's say beside the n-grams
MEANING_C = 30  # inverse regularisation strength of the meaning model
MEANING_SHARE = 0.5  # the meaning model's share of the averaged probabilities
MAX_ITER = 3000
TOLERANCE = 1e-3  # stops the word model's fit earlier; the same answers on the development set


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """One feature per need: how many of its lexicon patterns a message matches; and two for
    the danger phrase rules (immediate danger, suicidal feelings), so that the model learns
    danger from the rules rather than from words such as "he's"."""

    def fit(self, texts: Sequence[str], y: object = None) -> LexiconFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        return csr_matrix(np.array([lexicon_row(text) for text in texts], dtype=float))


def lexicon_row(text: str) -> list[float]:
    danger = assess(text)
    return [*lexicon_counts(text), danger.immediate_danger, danger.suicide_risk]


def build_model() -> Pipeline:
    """The untrained word model: words, character n-grams and the lexicon."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2), min_df=MIN_DF,
                                      sublinear_tf=True, token_pattern=r"\S+")),
            ("characters", TfidfVectorizer(preprocessor=normalise, analyzer="char_wb",
                                           ngram_range=(2, 5), min_df=MIN_DF, sublinear_tf=True)),
            ("lexicon", LexiconFeatures()),
        ],
        transformer_weights={"lexicon": LEXICON_WEIGHT},
    )  # fmt: skip
    classifier = LogisticRegression(C=C, max_iter=MAX_ITER, tol=TOLERANCE, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass(frozen=True)
class NeedModel:
    """The word model and the meaning model, whose probabilities are averaged."""

    words: Pipeline
    meaning: LogisticRegression | None  # over sentence vectors; None: words alone
    meaning_share: float = MEANING_SHARE

    @property
    def classes_(self) -> np.ndarray:
        return self.words.classes_

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities per class for many texts (as sklearn's predict_proba)."""
        words = self.words.predict_proba(list(texts))
        if self.meaning is None:
            return words
        sentences = shared_encoder().embed_many(list(texts))
        meaning = self.meaning.predict_proba(np.asarray(sentences, dtype=float))
        return self.meaning_share * meaning + (1 - self.meaning_share) * words


def train(
    texts: Sequence[str],
    intents: Sequence[str],
    with_meaning: bool = True,
    cache_dir: Path | None = None,
) -> NeedModel:
    """Train both models; ``cache_dir`` keeps sentence vectors of texts seen before."""
    labels = np.asarray(intents)
    words = build_model().fit(list(texts), labels)
    if not with_meaning:
        return NeedModel(words, None, 0.0)
    sentences = shared_encoder().embed_many(list(texts), cache_dir).astype(float)
    meaning = LogisticRegression(C=MEANING_C, max_iter=MAX_ITER, class_weight="balanced")
    return NeedModel(words, meaning.fit(sentences, labels))


class Ranker:
    """Ranks the intents for one message at a time with a trained model.

    It gives the model's own probabilities (``model.predict_proba``: the softmax of the
    decision function over the features its FeatureUnion computes), but works them out from
    the message's few non-zero features directly. For one short message sklearn's checks,
    sparse matrices and joblib dispatch cost about ten times the arithmetic, and its sparse
    product copied the whole coefficient matrix each time. Built once per loaded model.
    """

    def __init__(self, model: NeedModel) -> None:
        union: FeatureUnion = model.words.named_steps["features"]
        weights = union.transformer_weights or {}
        classifier: LogisticRegression = model.words.named_steps["classifier"]
        self.classes = [str(name) for name in classifier.classes_]
        self._coef, self._intercept = classifier.coef_, classifier.intercept_
        self._vectorizers: list[tuple[Callable, dict[str, int], np.ndarray, float, int]] = []
        self._meaning = model.meaning
        self._meaning_share = model.meaning_share
        offset = 0
        for name, part in union.transformer_list:
            if isinstance(part, TfidfVectorizer):
                vocabulary = part.vocabulary_
                self._vectorizers.append(
                    (part.build_analyzer(), vocabulary, part.idf_, weights.get(name, 1), offset)
                )
                offset += len(vocabulary)
            else:
                self._lexicon_weight, self._lexicon_offset = weights.get(name, 1), offset
                offset += len(lexicon_row(""))

    def features(self, text: str) -> dict[int, float]:
        """The message's non-zero features, {column: value}."""
        found: dict[int, float] = {}
        for analyse, vocabulary, idf, weight, offset in self._vectorizers:
            # TfidfVectorizer: sublinear term counts times idf, scaled to unit length.
            counts = Counter(vocabulary[t] for t in analyse(text) if t in vocabulary)
            tfidf = {column: (1 + math.log(n)) * idf[column] for column, n in counts.items()}
            norm = math.sqrt(sum(value * value for value in tfidf.values()))
            for column, value in tfidf.items():
                found[offset + column] = value / norm * weight
        for column, value in enumerate(lexicon_row(text)):
            if value:
                found[self._lexicon_offset + column] = value * self._lexicon_weight
        return found

    def rank(self, text: str, sentence: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Every intent with its probability, most likely first. ``sentence`` is the
        message's vector when the caller has it already (the Rasa pipeline's encoder)."""
        found = self.features(text)
        columns = np.fromiter(found.keys(), dtype=np.intp, count=len(found))
        values = np.fromiter(found.values(), dtype=float, count=len(found))
        probabilities = softmax(self._coef[:, columns] @ values + self._intercept)
        if self._meaning is not None:
            vector = shared_encoder().embed(text) if sentence is None else sentence
            meaning = softmax(self._meaning.coef_ @ np.asarray(vector, dtype=float)
                              + self._meaning.intercept_)  # fmt: skip
            probabilities = (
                self._meaning_share * meaning + (1 - self._meaning_share) * probabilities
            )
        order = np.argsort(probabilities)[::-1]
        return [(self.classes[i], float(probabilities[i])) for i in order]
