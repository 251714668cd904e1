"""NLU quality report: the frozen evaluation set, before and now, and cross-validation.

`make eval-nlu` (or `python -m bench.eval_nlu [--folds 5]`):

1. The frozen set (data/eval/, bench/frozen_eval.py): trains the NLU of this tree and of the
   tree as it was before this work (git revision ``BEFORE``, taken with `git archive`) in
   subprocesses (bench/nlu_predict.py), reads every frozen message with both, and prints per
   need P/R/F1, macro-F1 per language, danger recall and false emergencies per language, the
   role table, dead ends and ordinary problems: the two models side by side, from one run.
2. Cross-validation (for tuning; the frozen set is never tuned on): trains the pipeline from
   config.yml on k-1 folds of data/nlu, parses the held-out fold in-process (danger guard
   included, as in production), and reports per need type and per intent.

Printed, and saved to bench/results/nlu_{frozen,cv}.{json,txt} (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import frozen_eval
from bench.frozen_eval import scores
from bot import role
from bot.classify import quiet_rasa
from bot.settings import PROJECT_ROOT
from bot.triage import NEED_TYPES, need_type_for_intent
from safety.danger import assess

RESULTS = PROJECT_ROOT / "bench" / "results"
HOLDOUT = PROJECT_ROOT / "bench" / "nlu_holdout.yml"
# The model before the multilingual encoder, the learned danger detector and role safety.
BEFORE = "1796a091b7345ac43a0c473ebee9db31968d4f30"
PREDICT = PROJECT_ROOT / "bench" / "nlu_predict.py"
DEV_DIR = PROJECT_ROOT / "data" / "dev"


def _quiet_rasa() -> None:
    # Rasa's training cache knows the data and config, not our component's code: start empty.
    os.environ["RASA_CACHE_DIRECTORY"] = tempfile.mkdtemp(prefix="ofd-eval-cache-")
    quiet_rasa()


def macro_f1(table: dict[str, dict], labels: list[str]) -> float:
    return sum(table[label]["f1"] for label in labels) / len(labels)


def confusions(gold: list[str], predicted: list[str]) -> list[tuple[str, str, int]]:
    """(gold, predicted, count) for every mistake, most frequent first."""
    counts = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return [(g, p, n) for (g, p), n in counts.most_common()]


def format_table(title: str, table: dict[str, dict]) -> str:
    lines = [title, f"{'label':<24}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>6}"]
    for label, s in table.items():
        lines.append(
            f"{label:<24}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>6}"
        )
    return "\n".join(lines)


def _train_and_predict(data, train: list, texts: list[str]) -> tuple[list[str], float]:
    """Train the NLU pipeline on ``train`` examples; the intents it gives ``texts``, and the
    training time in seconds."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.training_data import TrainingData

    with tempfile.TemporaryDirectory() as scratch:
        fold_data = TrainingData(
            training_examples=train,
            entity_synonyms=data.entity_synonyms,
            regex_features=data.regex_features,
            lookup_tables=data.lookup_tables,
        )
        nlu_path = Path(scratch) / "nlu.yml"
        nlu_path.write_text(fold_data.nlu_as_yaml(), encoding="utf-8")
        started = time.monotonic()
        model = train_nlu(
            config=str(PROJECT_ROOT / "config.yml"),
            nlu_data=str(nlu_path),
            output=scratch,
            domain=str(PROJECT_ROOT / "domain.yml"),
        )
        seconds = time.monotonic() - started
        agent = Agent.load(model)
        loop = asyncio.new_event_loop()
        parsed = [loop.run_until_complete(agent.parse_message(t)) for t in texts]
    # A message the danger guard flagged is answered with 999 guidance first, whatever need
    # the learned-only danger kept (docs/triage.md): it counts as immediate danger.
    danger = [(p.get("danger") or {}).get("immediate_danger") for p in parsed]
    intents = [p["intent"]["name"] for p in parsed]
    return ["immediate_danger" if d else i for i, d in zip(intents, danger, strict=True)], seconds


def _examples(path: Path) -> tuple[object, list, list[str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    examples = [e for e in data.intent_examples if e.get("text")]
    return data, examples, [e.get("intent") for e in examples]


def holdout() -> dict:
    """Train on all of data/nlu; classify the held-out messages."""
    data, examples, _ = _examples(PROJECT_ROOT / "data" / "nlu")
    _, held, gold = _examples(HOLDOUT)
    predicted, _ = _train_and_predict(data, examples, [e.get("text") for e in held])
    gold = [need_type_for_intent(i) for i in gold]
    predicted = [need_type_for_intent(i) for i in predicted]
    table = scores(gold, predicted, sorted(set(gold) | set(predicted)))
    return {
        "examples": len(held),
        "macro_f1_need_types": macro_f1(table, list(NEED_TYPES)),
        "immediate_danger_recall": table["immediate_danger"]["recall"],
        "need_types": table,
        "confusions": confusions(gold, predicted),
    }


def cross_validate(folds: int, seed: int) -> dict:
    _quiet_rasa()
    from sklearn.model_selection import StratifiedKFold

    data, examples, intents = _examples(PROJECT_ROOT / "data" / "nlu")
    gold_intents, predicted_intents, train_seconds = [], [], []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(examples, intents), start=1):
        predicted, seconds = _train_and_predict(
            data, [examples[i] for i in train_idx], [examples[i].get("text") for i in test_idx]
        )
        gold_intents += [intents[i] for i in test_idx]
        predicted_intents += predicted
        train_seconds.append(seconds)
        print(f"fold {fold}/{folds}: trained in {seconds:.1f} s", file=sys.stderr)

    gold_needs = [need_type_for_intent(i) for i in gold_intents]
    predicted_needs = [need_type_for_intent(i) for i in predicted_intents]
    need_labels = sorted(set(gold_needs) | set(predicted_needs))
    need_table = scores(gold_needs, predicted_needs, need_labels)
    intent_labels = sorted(set(gold_intents) | set(predicted_intents))
    intent_table = scores(gold_intents, predicted_intents, intent_labels)
    danger_texts = [e.get("text") for e in examples if e.get("intent") == "immediate_danger"]
    return {
        "folds": folds,
        "seed": seed,
        "examples": len(examples),
        "train_seconds_per_fold": [round(s, 1) for s in train_seconds],
        "macro_f1_need_types": macro_f1(need_table, list(NEED_TYPES)),
        "macro_f1_intents": macro_f1(intent_table, intent_labels),
        "accuracy_need_types": sum(g == p for g, p in zip(gold_needs, predicted_needs, strict=True))
        / len(gold_needs),
        "immediate_danger_recall": need_table["immediate_danger"]["recall"],
        "danger_examples_caught_by_rules_alone": sum(
            assess(t).immediate_danger for t in danger_texts
        ),
        "danger_examples": len(danger_texts),
        "need_types": need_table,
        "intents": intent_table,
        "need_type_confusions": confusions(gold_needs, predicted_needs),
        "intent_confusions": confusions(gold_intents, predicted_intents),
        "holdout": holdout(),
    }


def report(result: dict) -> str:
    lines = [
        f"NLU cross-validation: {result['folds']} stratified folds (seed {result['seed']}), "
        f"{result['examples']} examples",
        f"training time per fold (s): {result['train_seconds_per_fold']}",
        f"macro-F1 over the 15 need types: {result['macro_f1_need_types']:.3f} "
        "(for tuning; the targets are on the frozen set)",
        f"immediate-danger recall: {result['immediate_danger_recall']:.3f}"
        f"; the phrase rules alone catch {result['danger_examples_caught_by_rules_alone']}"
        f"/{result['danger_examples']} danger examples",
        f"accuracy over need-type labels: {result['accuracy_need_types']:.3f}; "
        f"macro-F1 over intents: {result['macro_f1_intents']:.3f}",
        f"held-out messages (bench/nlu_holdout.yml, never trained on): "
        f"macro-F1 {result['holdout']['macro_f1_need_types']:.3f} over "
        f"{result['holdout']['examples']} messages, immediate-danger recall "
        f"{result['holdout']['immediate_danger_recall']:.3f}",
        "",
        format_table("Per need type", result["need_types"]),
        "",
        "Confusions (need type: gold -> predicted, count)",
        *(f"  {g:<22} -> {p:<22} {n}" for g, p, n in result["need_type_confusions"]),
        "",
        format_table("Per intent", result["intents"]),
        "",
        "Confusions (intent: gold -> predicted, count)",
        *(f"  {g:<22} -> {p:<22} {n}" for g, p, n in result["intent_confusions"]),
        "",
        format_table("Held-out messages, per need type", result["holdout"]["need_types"]),
        "Held-out confusions (gold -> predicted, count)",
        *(f"  {g:<22} -> {p:<22} {n}" for g, p, n in result["holdout"]["confusions"]),
    ]
    return "\n".join(lines)


def read_with(root: Path, texts: list[str]) -> list[dict]:
    """Train the NLU of the project tree at ``root`` and read ``texts`` with it."""
    with tempfile.TemporaryDirectory() as scratch:
        texts_path, out_path = Path(scratch) / "texts.json", Path(scratch) / "out.json"
        texts_path.write_text(json.dumps(texts), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        subprocess.run([sys.executable, str(PREDICT), str(root), str(texts_path),
                        str(out_path)], check=True, env=env)  # fmt: skip
        return json.loads(out_path.read_text(encoding="utf-8"))


def before_tree(scratch: Path) -> Path | None:
    """The project as it was at ``BEFORE``, or None when git or the revision is missing."""
    tree = scratch / "before"
    tree.mkdir()
    try:
        archive = subprocess.run(["git", "archive", BEFORE], cwd=PROJECT_ROOT, check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return tree


def frozen(with_before: bool = True, folder: Path = frozen_eval.EVAL_DIR) -> tuple[dict, str]:
    """Both models' figures on the frozen set (or the development set in ``folder``), and the
    printed tables."""
    items = frozen_eval.load_items(folder)
    texts = [item.text for item in items]
    print(f"frozen set: {len(items)} messages; training and reading with this tree",
          file=sys.stderr)  # fmt: skip
    readings = read_with(PROJECT_ROOT, texts)
    now = frozen_eval.measure(items, readings, role_answer)
    if folder != frozen_eval.EVAL_DIR:  # the development set's readings, for tuning
        now["readings"] = [
            {"section": i.section, "language": i.language, "need": i.need, "text": i.text, **r}
            for i, r in zip(items, readings, strict=True)
        ]
    before = None
    if with_before:
        with tempfile.TemporaryDirectory() as scratch:
            tree = before_tree(Path(scratch))
            if tree is None:
                print(f"git revision {BEFORE} not found: no 'before' column", file=sys.stderr)
            else:
                print(f"training and reading with the tree at {BEFORE[:7]}", file=sys.stderr)
                readings = read_with(tree, texts)
                before = frozen_eval.measure(items, readings, frozen_eval.intent_role_answer)
    return {"before": before, "now": now}, frozen_eval.report(before, now)


def role_answer(text: str, reading: dict) -> str:
    """How this tree's dialogue answers a message, as far as roles go (bot/role.py)."""
    if reading["intent"] in role.SAFETY_FIRST_INTENTS or reading["danger"]:
        return frozen_eval.AS_SURVIVOR
    route = role.route(text, [tuple(r) for r in reading["ranking"]])
    if route == role.GO_BEHAVIOUR_CHANGE:
        return frozen_eval.AS_ABUSER
    return frozen_eval.ASKED if route == role.ASK_ROLE else frozen_eval.AS_SURVIVOR


def _save(name: str, result: dict, text: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (RESULTS / f"{name}.txt").write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-before", action="store_true", help="skip the model before")
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument(
        "--dev", action="store_true", help="the development set (data/dev/), for tuning"
    )
    args = parser.parse_args(argv)
    if args.dev:
        result, text = frozen(False, DEV_DIR)
        print(text.replace("Frozen evaluation set (data/eval/, never trained or tuned on)",
                           "Development set (data/dev/, for tuning)"))  # fmt: skip
        _save("nlu_dev", result, text)
        return 0
    frozen_result, frozen_text = frozen(not args.no_before)
    _save("nlu_frozen", frozen_result, frozen_text)
    if not args.no_cv:
        result = cross_validate(args.folds, args.seed)
        text = report(result)
        print(text)
        _save("nlu_cv", result, text)
    print("\n" + frozen_text)
    print(f"\nSaved to {RESULTS.relative_to(PROJECT_ROOT)}/nlu_{{frozen,cv}}.{{json,txt}}",
          file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
