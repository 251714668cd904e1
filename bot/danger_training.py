"""Train the learned danger detector (safety/danger_model.py) from the project's data.

Danger happening now: data/danger/*.yml ``danger`` and the NLU examples of
``immediate_danger``. Not danger: data/danger/*.yml ``not_danger`` (hard negatives: the past,
the future, professionals, news, hypotheticals) and every other NLU example except suicidal
feelings, which are answered by their own rules. The threshold is chosen by cross-validation
on this data alone, each time it is trained, for recall: the highest at which the phrase rules
and the detector together still find ``TARGET_RECALL`` of the danger examples when they were
held out. The regularisation C was chosen the same way on 2026-12-01 (of 3, 10 and 30, the
fewest false alarms on the hard negatives at that recall) and is fixed, to keep training
short.

`python -m bot.danger_training` trains and saves the detector into the models folder;
`make run` and `make test` do it when it is missing or older than its inputs.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from bot.encoder import MODEL_ID, shared_encoder
from bot.freshness import is_fresh
from bot.settings import PROJECT_ROOT, load_settings
from safety.danger import assess
from safety.danger_model import DangerModel, fit, path_in

DANGER_DATA = PROJECT_ROOT / "data" / "danger"
NLU_DATA = PROJECT_ROOT / "data" / "nlu"
# What the detector depends on: a change to any of these trains it again.
INPUTS = (
    DANGER_DATA,
    NLU_DATA,
    PROJECT_ROOT / "bot" / "danger_training.py",
    PROJECT_ROOT / "bot" / "encoder.py",
    PROJECT_ROOT / "safety" / "danger_model.py",
)
DANGER_INTENT = "immediate_danger"
LEFT_OUT_INTENTS = {"suicidal_feelings"}
C = 10.0
TARGET_RECALL = 0.98
FOLDS = 5
_ANNOTATION = re.compile(r"\[([^\]]+)\]\{[^}]*\}|\[([^\]]+)\]\([^)]*\)")


def nlu_examples(folder: Path = NLU_DATA) -> list[tuple[str, str]]:
    """(text, intent) for every NLU example, entity annotations taken out."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if text:
                    found.append((_ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text),
                                  item["intent"]))  # fmt: skip
    return found


def training_examples() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, labels (1: danger now) and which are hard negatives."""
    texts: list[str] = []
    labels: list[int] = []
    hard: list[bool] = []
    for path in sorted(DANGER_DATA.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for label, key in ((1, "danger"), (0, "not_danger")):
            for text in data.get(key) or []:
                texts.append(str(text))
                labels.append(label)
                hard.append(label == 0)
    for text, intent in nlu_examples():
        if intent not in LEFT_OUT_INTENTS:
            texts.append(text)
            labels.append(int(intent == DANGER_INTENT))
            hard.append(False)
    return texts, np.array(labels), np.array(hard)


def _folds(labels: np.ndarray, seed: int = 13) -> list[np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    return [test for _, test in splitter.split(np.zeros(len(labels)), labels)]


def held_out_probabilities(
    texts: list[str], vectors: np.ndarray, labels: np.ndarray, c: float
) -> np.ndarray:
    """Each example's danger probability from a model trained without its fold (the folds
    in parallel: training has the machine to itself)."""
    from joblib import Parallel, delayed

    def fold(test: np.ndarray) -> np.ndarray:
        train = np.setdiff1d(np.arange(len(labels)), test)
        model = fit([texts[i] for i in train], vectors[train], labels[train], c)
        return model.probabilities([texts[i] for i in test], vectors[test])

    folds = _folds(labels)
    out = np.zeros(len(labels))
    for test, found in zip(folds, Parallel(n_jobs=-1)(delayed(fold)(t) for t in folds),
                           strict=True):  # fmt: skip
        out[test] = found
    return out


def recall_threshold(
    probabilities: np.ndarray, labels: np.ndarray, rules: np.ndarray, recall: float
) -> float:
    """The highest threshold at which the rules and the model together find at least
    ``recall`` of the danger examples."""
    missed_by_rules = np.sort(probabilities[(labels == 1) & ~rules])
    allowed_misses = int(np.floor((labels == 1).sum() * (1 - recall)))
    if allowed_misses >= len(missed_by_rules):
        return 0.5
    return float(min(missed_by_rules[allowed_misses], 0.5))


def train_detector(cache_dir: Path | None = None) -> DangerModel:
    """Choose C and the threshold by cross-validation, then train on everything."""
    texts, labels, hard = training_examples()
    vectors = shared_encoder().embed_many(texts, cache_dir).astype(float)
    rules = np.array([assess(t).immediate_danger for t in texts])
    probabilities = held_out_probabilities(texts, vectors, labels, C)
    threshold = recall_threshold(probabilities, labels, rules, TARGET_RECALL)
    flagged = rules | (probabilities >= threshold)
    about = {
        "encoder": MODEL_ID,
        "examples": len(labels),
        "danger_examples": int(labels.sum()),
        "hard_negatives": int(hard.sum()),
        "c": C,
        "threshold": round(threshold, 4),
        "cv_recall_with_rules": round(float(np.mean(flagged[labels == 1])), 4),
        "cv_false_alarms_on_hard_negatives": round(float(np.mean(flagged[hard])), 4),
        "cv_false_alarms_on_all_negatives": round(float(np.mean(flagged[labels == 0])), 4),
    }
    return fit(texts, vectors, labels, C, threshold, about)


def is_trained(models_dir: Path) -> bool:
    """True when the detector exists and none of its inputs changed since."""
    return is_fresh(path_in(models_dir), INPUTS)


def ensure_detector(models_dir: Path) -> Path:
    """Train and save the detector if it is missing or older than its inputs."""
    path = path_in(models_dir)
    if is_trained(models_dir):
        return path
    started = time.monotonic()
    model = train_detector(models_dir / "embedding-cache")
    model.save(path)
    print(
        f"Trained the danger detector in {time.monotonic() - started:.0f} s "
        f"({model.about['examples']} examples, threshold {model.threshold:.3f}).",
        flush=True,
    )
    return path


if __name__ == "__main__":
    ensure_detector(load_settings().models_dir)
    sys.exit(0)
