"""A learned immediate-danger detector: what a message means, not which words it uses.

People in danger often describe what is happening ("he poured petrol on the stairs", "im in
the bathroom he doesnt know im typing") rather than use a word a phrase rule knows, and they
write in five languages. This detector is a logistic regression over the message's sentence
vector (bot/encoder.py), which carries meaning across wordings and languages, and its words and
character n-grams, which carry what the vector blurs: whether it is happening now ("right now",
"is", "-ing") or was, might be, or happened to someone on the news. It is trained on danger
happening now against hard negatives (data/danger/, built by bot/danger_training.py).

It is OR'ed with the phrase rules of safety.danger: the rules stay the floor and the model can
only add danger. Its threshold is set for recall (chosen by cross-validation, never on the
frozen evaluation set): showing 999 guidance to someone who is not in danger costs little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from safety.text import normalise

if TYPE_CHECKING:  # imported when used: every process imports safety/, few use the model
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

FILE_NAME = "danger-detector.joblib"
SENTENCE_WEIGHT = 1.0  # the sentence vector's say beside the n-grams


@dataclass(frozen=True)
class DangerModel:
    words: TfidfVectorizer
    characters: TfidfVectorizer
    classifier: LogisticRegression
    threshold: float  # a probability at or above it is danger
    about: dict  # how it was trained (counts, cross-validated rates); no message text

    def _features(self, texts: Sequence[str], sentences: np.ndarray) -> csr_matrix:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        dense = csr_matrix(np.atleast_2d(np.asarray(sentences, dtype=float)) * SENTENCE_WEIGHT)
        return hstack([self.words.transform(texts), self.characters.transform(texts), dense])

    def probabilities(self, texts: Sequence[str], sentences: np.ndarray) -> np.ndarray:
        return self.classifier.predict_proba(self._features(texts, sentences).tocsr())[:, 1]

    def probability(self, text: str, sentence: np.ndarray) -> float:
        return float(self.probabilities([text], sentence)[0])

    def sees_danger(self, text: str, sentence: np.ndarray) -> bool:
        return self.probability(text, sentence) >= self.threshold

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".tmp")
        joblib.dump(self, scratch)
        scratch.replace(path)


def path_in(models_dir: Path) -> Path:
    """Where the trained detector lives in a models folder."""
    return Path(models_dir) / FILE_NAME


def load(path: Path) -> DangerModel | None:
    """The trained detector at ``path``, or None when there is none (the rules still run)."""
    import joblib

    try:
        model = joblib.load(path)
    except (OSError, EOFError, ValueError):
        return None
    return model if isinstance(model, DangerModel) else None


def fit(
    texts: Sequence[str],
    sentences: np.ndarray,
    labels: np.ndarray,
    c: float,
    threshold: float = 0.5,
    about: dict | None = None,
) -> DangerModel:
    """Train on messages, their sentence vectors and labels (1: danger now, 0: not)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    # n-grams seen once are noise and double the features (and the training time).
    words = TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2), sublinear_tf=True,
                            min_df=2, token_pattern=r"\S+").fit(texts)  # fmt: skip
    characters = TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", min_df=2,
                                 ngram_range=(2, 5), sublinear_tf=True).fit(texts)  # fmt: skip
    unfitted = DangerModel(words, characters, LogisticRegression(), threshold, about or {})
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    classifier.fit(unfitted._features(texts, sentences).tocsr(), labels)
    return DangerModel(words, characters, classifier, threshold, about or {})
