"""A learned immediate-danger detector: what a message means, not which words it uses.

People in danger often describe what is happening ("he poured petrol on the stairs", "im in
the bathroom he doesnt know im typing") rather than use a word a phrase rule knows, and they
write in five languages. This detector is a logistic regression over the message's sentence
vector (bot/encoder.py), trained on danger happening now against hard negatives: past
violence, fear of the future, professionals describing an incident, news and hypotheticals
(data/danger/, built by bot/danger_training.py).

It is OR'ed with the phrase rules of safety.danger: the rules stay the floor and the model can
only add danger. Its threshold is set for recall (chosen by cross-validation, never on the
frozen evaluation set): showing 999 guidance to someone who is not in danger costs little.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILE_NAME = "danger-detector.npz"


@dataclass(frozen=True)
class DangerModel:
    weights: np.ndarray  # one per sentence-vector dimension
    bias: float
    threshold: float  # a probability at or above it is danger
    about: dict  # how it was trained (counts, cross-validated recall); no message text

    def probability(self, sentence: np.ndarray) -> float:
        score = float(np.dot(self.weights, np.asarray(sentence, dtype=float)) + self.bias)
        return float(1 / (1 + np.exp(-score)))

    def sees_danger(self, sentence: np.ndarray) -> bool:
        return self.probability(sentence) >= self.threshold

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".tmp.npz")
        np.savez(
            scratch,
            weights=self.weights,
            bias=np.array(self.bias),
            threshold=np.array(self.threshold),
            about=np.array(json.dumps(self.about)),
        )
        scratch.replace(path)


def load(path: Path) -> DangerModel | None:
    """The trained detector at ``path``, or None when there is none (the rules still run)."""
    try:
        with np.load(path) as stored:
            return DangerModel(
                weights=stored["weights"].astype(float),
                bias=float(stored["bias"]),
                threshold=float(stored["threshold"]),
                about=json.loads(str(stored["about"])),
            )
    except (OSError, KeyError, ValueError):
        return None


def fit(
    vectors: np.ndarray, labels: np.ndarray, c: float, threshold: float, about: dict
) -> DangerModel:
    """Train on sentence vectors labelled 1 (danger now) or 0."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit(vectors, labels)
    return DangerModel(model.coef_[0].copy(), float(model.intercept_[0]), threshold, about)
