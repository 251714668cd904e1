"""The intent classifier: a linear model over words, character n-grams, the need lexicon and
what the message means (a multilingual sentence vector, bot/encoder.py).

Short, varied messages with typos need character n-grams (``housng`` still looks like
``housing``); the need lexicon (bot/lexicon.py) helps the model with little data per need; the
sentence vector carries meaning across wordings and languages, which words alone cannot (a
Bengali disclosure shares no word with the English examples). All of them go into one logistic
regression (a feature union), which gives probabilities directly, so confidence and the
fallback threshold mean something. C and the weights were chosen by cross-validation
(bench/eval_nlu.py, docs/triage.md).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import softmax
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.encoder import DIMENSIONS, shared_encoder
from bot.lexicon import lexicon_counts
from safety.danger import assess
from safety.text import normalise

C = 20  # inverse regularisation strength
LEXICON_WEIGHT = 0.7  # the lexicon's say beside the n-grams
SENTENCE_WEIGHT = 1.0  # the sentence vector's say beside the sparse features
MAX_ITER = 3000


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


class SentenceFeatures(BaseEstimator, TransformerMixin):
    """The message's sentence vector (bot/encoder.py). ``cache_dir`` keeps vectors of texts
    seen before, so training and cross-validation encode each example once."""

    def __init__(self, cache_dir: str | None = None) -> None:
        self.cache_dir = cache_dir

    def fit(self, texts: Sequence[str], y: object = None) -> SentenceFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        cache = Path(self.cache_dir) if self.cache_dir else None
        return shared_encoder().embed_many(list(texts), cache)


def build_model(sentence_weight: float = SENTENCE_WEIGHT, cache_dir: str | None = None) -> Pipeline:
    """An untrained model; ``sentence_weight`` 0 leaves the sentence vector out."""
    parts = [
        ("words", TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2),
                                  sublinear_tf=True, token_pattern=r"\S+")),
        ("characters", TfidfVectorizer(preprocessor=normalise, analyzer="char_wb",
                                       ngram_range=(2, 5), sublinear_tf=True)),
        ("lexicon", LexiconFeatures()),
    ]  # fmt: skip
    weights = {"lexicon": LEXICON_WEIGHT}
    if sentence_weight:
        parts.append(("sentence", SentenceFeatures(cache_dir)))
        weights["sentence"] = sentence_weight
    features = FeatureUnion(parts, transformer_weights=weights)
    classifier = LogisticRegression(C=C, max_iter=MAX_ITER, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


def train(
    texts: Sequence[str],
    intents: Sequence[str],
    sentence_weight: float = SENTENCE_WEIGHT,
    cache_dir: str | None = None,
) -> Pipeline:
    return build_model(sentence_weight, cache_dir).fit(list(texts), np.asarray(intents))


class Ranker:
    """Ranks the intents for one message at a time with a trained model.

    It gives the model's own probabilities (``model.predict_proba``: the softmax of the
    decision function over the features its FeatureUnion computes), but works them out from
    the message's few non-zero features directly. For one short message sklearn's checks,
    sparse matrices and joblib dispatch cost about ten times the arithmetic, and its sparse
    product copied the whole coefficient matrix each time. Built once per loaded model.
    """

    def __init__(self, model: Pipeline) -> None:
        union: FeatureUnion = model.named_steps["features"]
        weights = union.transformer_weights or {}
        classifier: LogisticRegression = model.named_steps["classifier"]
        self.classes = [str(name) for name in classifier.classes_]
        self._coef, self._intercept = classifier.coef_, classifier.intercept_
        self._vectorizers: list[tuple[Callable, dict[str, int], np.ndarray, float, int]] = []
        self._sentence: tuple[np.ndarray, float] | None = None  # its coefficients and weight
        offset = 0
        for name, part in union.transformer_list:
            if isinstance(part, TfidfVectorizer):
                vocabulary = part.vocabulary_
                self._vectorizers.append(
                    (part.build_analyzer(), vocabulary, part.idf_, weights.get(name, 1), offset)
                )
                offset += len(vocabulary)
            elif isinstance(part, SentenceFeatures):
                coef = np.ascontiguousarray(self._coef[:, offset : offset + DIMENSIONS])
                self._sentence = (coef, weights.get(name, 1))
                offset += DIMENSIONS
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

    @property
    def uses_sentences(self) -> bool:
        return self._sentence is not None

    def rank(self, text: str, sentence: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Every intent with its probability, most likely first. ``sentence`` is the
        message's vector when the caller has it already (the Rasa pipeline's encoder)."""
        found = self.features(text)
        columns = np.fromiter(found.keys(), dtype=np.intp, count=len(found))
        values = np.fromiter(found.values(), dtype=float, count=len(found))
        scores = self._coef[:, columns] @ values + self._intercept
        if self._sentence is not None:
            coef, weight = self._sentence
            vector = shared_encoder().embed(text) if sentence is None else sentence
            scores = scores + coef @ (np.asarray(vector, dtype=float) * weight)
        probabilities = softmax(scores)
        order = np.argsort(probabilities)[::-1]
        return [(self.classes[i], float(probabilities[i])) for i in order]
