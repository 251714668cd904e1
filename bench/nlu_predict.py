"""Train one project tree's NLU and read a list of messages with it (run as a subprocess).

`python bench/nlu_predict.py ROOT TEXTS.json OUT.json` trains the NLU pipeline of the project
at ROOT (its config.yml, data/nlu and its own components, imported from ROOT) and writes, for
each text, the intent, the ranking and the danger guard's verdict. bench/eval_nlu.py runs it
on this tree and on the tree as it was before, so both are measured in one run. It imports
nothing from this tree, only from ROOT.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
from pathlib import Path


def main(root: Path, texts_path: Path, out_path: Path) -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    # Rasa's debug events carry message text: only warnings, and never the frozen messages.
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    try:  # the learned danger detector the guard loads (trees that have one)
        from bot.danger_training import ensure_detector
        from bot.settings import load_settings

        ensure_detector(load_settings().models_dir)
    except ImportError:
        pass
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    texts = json.loads(texts_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        # Rasa's training cache knows the data and config, not our components' code.
        os.environ["RASA_CACHE_DIRECTORY"] = scratch
        model = train_nlu(config="config.yml", nlu_data="data/nlu", output=scratch,
                          domain="domain.yml")  # fmt: skip
        agent = Agent.load(model)
        loop = asyncio.new_event_loop()
        parsed = [loop.run_until_complete(agent.parse_message(t)) for t in texts]
    out = [
        {
            "intent": p["intent"]["name"],
            "ranking": [(r["name"], r["confidence"]) for r in p.get("intent_ranking") or []],
            "danger": bool((p.get("danger") or {}).get("immediate_danger")),
        }
        for p in parsed
    ]
    out_path.write_text(json.dumps(out), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]), Path(sys.argv[3]))
