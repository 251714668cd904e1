"""The frozen evaluation set (data/eval/) and what it measures.

Only reported on, never trained or tuned on (data/eval/README.md). Each message is read by a
trained NLU (bench/nlu_predict.py gives its intent, ranking and danger verdict); this module
turns the readings into answers as the product gives them and scores them:

- need types: per-need precision, recall and F1, macro-F1 overall and per language;
- danger: recall per language, and the false-emergency rate on hard negatives;
- roles: what survivors and people describing their own behaviour are answered with;
- dead ends: disclosures answered "I didn't quite follow" or with the out-of-scope message;
- ordinary problems (no abuse) recognised as not about abuse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.triage import NEED_TYPES, need_type_for_intent

EVAL_DIR = Path(__file__).resolve().parent.parent / "data" / "eval"
LANGUAGES = ("en", "pl", "ro", "ur", "bn")
DEAD_END_INTENTS = {"nlu_fallback", "out_of_scope"}
NOT_ABUSE_INTENTS = {"ordinary_problem", "out_of_scope"}

# How a message is answered, as far as roles go.
AS_ABUSER = "behaviour-change answer"
ASKED = "asked who did what"
AS_SURVIVOR = "other answer"


@dataclass(frozen=True)
class Item:
    language: str
    section: str  # needs, danger, hard_negatives, role_survivor, role_abuser, ordinary
    text: str
    need: str | None = None  # the gold need type, where there is one


def load_items(folder: Path = EVAL_DIR) -> list[Item]:
    items: list[Item] = []
    for language in LANGUAGES:
        path = folder / f"{language}.yml"
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items += [Item(language, "needs", e["text"], e["need"]) for e in data.get("needs") or []]
        items += [Item(language, "danger", e["text"], "immediate_danger")
                  for e in data.get("danger") or []]  # fmt: skip
        items += [Item(language, "hard_negatives", e["text"]) for e in data.get("hard_negatives")
                  or []]  # fmt: skip
        for pair in data.get("role_pairs") or []:
            items.append(Item(language, "role_survivor", pair["survivor"]))
            items.append(Item(language, "role_abuser", pair["abuser"], "behaviour_change"))
        items += [Item(language, "ordinary", e["text"]) for e in data.get("ordinary") or []]
    return items


def scores(gold: list[str], predicted: list[str], labels: list[str]) -> dict[str, dict]:
    """Precision, recall, F1 and support per label."""
    out = {}
    for label in labels:
        pairs = list(zip(gold, predicted, strict=True))
        tp = sum(1 for g, p in pairs if g == p == label)
        fp = sum(1 for g, p in pairs if p == label and g != label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return out


def macro_f1(table: dict[str, dict], labels: list[str]) -> float:
    present = [label for label in labels if table[label]["support"]]
    return sum(table[label]["f1"] for label in present) / len(present) if present else 0.0


# A reading: {"intent", "ranking", "danger"} from bench/nlu_predict.py.
RoleAnswer = Callable[[str, dict], str]


def intent_role_answer(text: str, reading: dict) -> str:
    """Role answer of a dialogue that follows the intent alone (the model before role safety)."""
    return AS_ABUSER if reading["intent"] == "behaviour_change" else AS_SURVIVOR


def measure(items: list[Item], readings: list[dict], role_answer: RoleAnswer) -> dict:
    """Every figure of the report for one model's readings of ``items``."""
    labelled = [(i, need_type_for_intent(r["intent"]))
                for i, r in zip(items, readings, strict=True)
                if i.section in ("needs", "danger")]  # fmt: skip
    table = scores([i.need for i, _ in labelled], [p for _, p in labelled], list(NEED_TYPES))
    per_language = {}
    for language in LANGUAGES:
        mine = [(i, p) for i, p in labelled if i.language == language]
        if mine:
            lang_table = scores([i.need for i, _ in mine], [p for _, p in mine], list(NEED_TYPES))
            per_language[language] = macro_f1(lang_table, list(NEED_TYPES))
    danger = {}
    for language in LANGUAGES:
        found = [r["danger"] or r["intent"] == "immediate_danger"
                 for i, r in zip(items, readings, strict=True)
                 if i.language == language and i.section == "danger"]  # fmt: skip
        false = [r["danger"] or r["intent"] == "immediate_danger"
                 for i, r in zip(items, readings, strict=True)
                 if i.language == language and i.section == "hard_negatives"]  # fmt: skip
        if found or false:
            danger[language] = {
                "recall": sum(found) / len(found) if found else None,
                "danger_messages": len(found),
                "false_emergency": sum(false) / len(false) if false else None,
                "hard_negatives": len(false),
            }
    roles: dict[str, Counter] = {}
    for item, reading in zip(items, readings, strict=True):
        if item.section == "needs" and item.need == "behaviour_change":
            group = "own behaviour (needs section)"
        elif item.section == "role_abuser":
            group = "own behaviour (role pairs)"
        elif item.section == "role_survivor":
            group = "survivor (role pairs)"
        elif item.section in ("needs", "danger"):
            group = "survivor or friend (needs, danger)"
        else:
            continue
        roles.setdefault(group, Counter())[role_answer(item.text, reading)] += 1
    disclosures = [(i, r) for i, r in zip(items, readings, strict=True)
                   if i.section in ("needs", "danger", "role_survivor")]  # fmt: skip
    ordinary = [r for i, r in zip(items, readings, strict=True) if i.section == "ordinary"]
    return {
        "messages": len(items),
        "need_types": table,
        "macro_f1": macro_f1(table, list(NEED_TYPES)),
        "macro_f1_per_language": per_language,
        "danger": danger,
        "roles": {group: dict(counts) for group, counts in roles.items()},
        "dead_ends": sum(r["intent"] in DEAD_END_INTENTS for _, r in disclosures),
        "disclosures_read_as_ordinary": sum(
            r["intent"] == "ordinary_problem" for _, r in disclosures
        ),  # fmt: skip
        "disclosures": len(disclosures),
        "ordinary_recognised": sum(r["intent"] in NOT_ABUSE_INTENTS for r in ordinary),
        "ordinary": len(ordinary),
    }


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def report(before: dict | None, after: dict) -> str:
    """The frozen-set tables, the model before this change beside the one now."""
    runs = [("before", before), ("now", after)] if before else [("now", after)]
    lines = [f"Frozen evaluation set (data/eval/, never trained or tuned on): "
             f"{after['messages']} messages"]  # fmt: skip
    header = f"{'need type':<24}" + "".join(f"{name + ' P/R/F1':>24}" for name, _ in runs)
    lines += ["", header]
    for need in NEED_TYPES:
        row = f"{need:<24}"
        for _, run in runs:
            s = run["need_types"][need]
            row += f"{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
        lines.append(row + f"{after['need_types'][need]['support']:>6}")
    lines.append(f"{'macro-F1':<24}" + "".join(f"{run['macro_f1']:>24.3f}" for _, run in runs))
    lines += ["", "macro-F1 per language (target: 0.92 overall, 0.85 each other language)"]
    for language in LANGUAGES:
        values = [run["macro_f1_per_language"].get(language) for _, run in runs]
        lines.append(f"  {language:<6}" + "".join(f"{_pct(v):>12}" for v in values))
    lines += ["", "Danger: recall (target 1.0 en, 0.98 others) / false emergency on hard "
              "negatives (target <= 0.10)"]  # fmt: skip
    for language in LANGUAGES:
        row = f"  {language:<6}"
        for _, run in runs:
            d = run["danger"].get(language) or {}
            row += f"  {_pct(d.get('recall'))} / {_pct(d.get('false_emergency'))}"
        d = after["danger"].get(language) or {}
        lines.append(row + f"   ({d.get('danger_messages', 0)} danger, "
                           f"{d.get('hard_negatives', 0)} hard negatives)")  # fmt: skip
    lines += ["", "Roles: how people are answered (target: survivors never as abusers; own "
              "behaviour reaching support >= 0.9)"]  # fmt: skip
    for name, run in runs:
        lines.append(f"  {name}:")
        for group, counts in sorted(run["roles"].items()):
            total = sum(counts.values())
            shown = ", ".join(f"{answer} {n}" for answer, n in sorted(counts.items()))
            lines.append(f"    {group:<38} ({total:>3}): {shown}")
    lines += ["", "Dead ends and ordinary problems"]
    for name, run in runs:
        lines.append(
            f"  {name}: disclosures answered 'didn't follow' or out of scope: "
            f"{run['dead_ends']}/{run['disclosures']}; read as an ordinary problem: "
            f"{run['disclosures_read_as_ordinary']}; ordinary problems recognised as not "
            f"abuse: {run['ordinary_recognised']}/{run['ordinary']}"
        )
    return "\n".join(lines)
