"""Classify messages with the trained model, in-process: `python -m bot.classify`.

Reads JSON lines ``{"text": ...}`` on stdin (any other keys, such as an ``id``, are copied to
the output) and writes one JSON line per input:

    {"need_type": "stalking", "danger": false, "high_risk_indicators": ["stalking"],
     "confidence": 0.87, "intent": "stalking", "suicide_risk": false, "district": null}

``need_type`` is one of bot.triage.NEED_TYPES, or greeting / out_of_scope / information.
``danger`` is true when the danger rules (safety.danger) or the model see immediate danger.
A line that is not a JSON object with a text gets ``{"error": ...}`` and the run goes on.
Train the model first (`make train`, or `make run` / `make test`, which train it when needed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.places import district_for, district_in_text
from bot.risk import indicators_in_text
from bot.settings import load_settings
from bot.triage import need_type_for_intent
from safety.danger import assess

MODEL_NAME = "one-front-door.tar.gz"
MAX_TEXT = 2000  # longer texts are cut, as the chat's input limit would


def default_model() -> Path:
    return load_settings().models_dir / MODEL_NAME


def describe(text: str, parsed: dict[str, Any]) -> dict[str, Any]:
    """The classification of ``text`` from the NLU parse of it."""
    intent = (parsed.get("intent") or {}).get("name")
    assessment = assess(text)
    districts = [
        district_for(e.get("value"))
        for e in parsed.get("entities") or []
        if e.get("entity") == "district"
    ]
    return {
        "need_type": need_type_for_intent(intent),
        "danger": assessment.immediate_danger or intent == "immediate_danger",
        "high_risk_indicators": indicators_in_text(text),
        "confidence": round(float((parsed.get("intent") or {}).get("confidence") or 0.0), 4),
        "intent": intent,
        "suicide_risk": assessment.suicide_risk,
        "district": next((d for d in districts if d), None) or district_in_text(text),
    }


def quiet_rasa() -> None:
    """Run Rasa in-process without telemetry, and with only warnings, on stderr.

    Rasa's debug events carry message text, so they must never reach the output.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    import structlog

    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)


class Classifier:
    """The trained Rasa model, loaded once and used in-process."""

    def __init__(self, model: Path) -> None:
        quiet_rasa()
        from rasa.core.agent import Agent  # imported here: loading Rasa takes seconds

        self._agent = Agent.load(str(model))
        self._loop = asyncio.new_event_loop()

    def classify(self, text: str) -> dict[str, Any]:
        text = text[:MAX_TEXT]
        parsed = self._loop.run_until_complete(self._agent.parse_message(text))
        return describe(text, parsed)


def _read(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            yield {"error": f"line {number}: not valid JSON"}
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            yield {"error": f'line {number}: expected an object with a "text" string'}
            continue
        yield item


def run(classifier: Classifier, lines: Iterable[str], out) -> int:
    """Classify every line; return how many lines were in error."""
    errors = 0
    for item in _read(lines):
        if "error" in item:
            errors += 1
            result = item
        else:
            extra = {k: v for k, v in item.items() if k != "text"}
            result = {**extra, **classifier.classify(item["text"])}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="trained model (.tar.gz)")
    args = parser.parse_args(argv)
    model = args.model or default_model()
    if not model.exists():
        print(f"No trained model at {model}: run `make train` first.", file=sys.stderr)
        return 2
    errors = run(Classifier(model), sys.stdin, sys.stdout)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
