"""Role safety: nobody is answered as someone who harms others unless they said so themselves.

Sentence vectors do not tell who did what ("he strangled me" and "I strangled him" mean
almost the same to them), and a word model leans on words like "hit" that both sides use. So
the behaviour-change route needs two things: the model's reading AND the person's own words
putting them as the one who acts ("I hit my partner"), or the "something I have done" button.
When the model leans that way without both, or the words have the person as the one harmed
("he hit me"), we ask: "Is this about something you have done, or something done to you?".

The cue phrases live in data/roles/*.yml (``actor``: the writer harms; ``harmed``: the writer
is harmed), matched after the same normalisation as the danger phrases, so reviewers can add
one without writing a regular expression. An actor phrase must match whole words (typed
without Polish letters, "biję ją" is "bije ja", which must not match "bije jak"); a harmed
phrase may match at the start of a word, so inflected endings still count: a wrong "harmed"
only means we ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from safety.text import match_form, normalise

ROLE_DATA = PROJECT_ROOT / "data" / "roles"
BEHAVIOUR_CHANGE_INTENT = "behaviour_change"
# Chosen on the development set (data/dev/), never on the frozen set (docs/triage.md).
# How sure the model must be, beside the person's own words, to go straight to support.
CONFIDENT = 0.3
# Belief in behaviour change worth the question: with the person's own words as the one who
# acts, or without them (but never when their words have them as the one harmed).
WORTH_ASKING_WITH_WORDS = 0.15
WORTH_ASKING = 0.3

# Danger and suicidal feelings are answered first whoever is writing.
SAFETY_FIRST_INTENTS = frozenset({"immediate_danger", "suicidal_feelings"})

# What to do with a message, as far as the behaviour-change route goes.
GO_BEHAVIOUR_CHANGE = "behaviour_change"  # they said they harm someone: support to change
ASK_ROLE = "ask_role"  # not clear who did what: ask, with buttons
KEEP = "keep"  # nothing to do with behaviour change: go on as the intent says


@dataclass(frozen=True)
class Cues:
    actor: bool  # the writer puts themselves as the one who harms
    harmed: bool  # the writer puts themselves as the one harmed


@lru_cache(maxsize=1)
def _phrases(folder: Path = ROLE_DATA) -> tuple[tuple[str, ...], tuple[str, ...]]:
    actor: list[str] = []
    harmed: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        actor += [f" {match_form(normalise(str(p)))}" for p in data.get("actor") or []]
        harmed += [f" {match_form(normalise(str(p)))}" for p in data.get("harmed") or []]
    return tuple(p for p in actor if p.strip()), tuple(p for p in harmed if p.strip())


def cues(text: str) -> Cues:
    """Which side of an act ``text`` puts its writer on, from the cue phrases."""
    form = f" {match_form(normalise(text))} "
    actor, harmed = _phrases()
    return Cues(any(f"{p} " in form for p in actor), any(p in form for p in harmed))


def route(text: str, ranking: Sequence[tuple[str, float]]) -> str:
    """GO_BEHAVIOUR_CHANGE, ASK_ROLE or KEEP for a message and its intent ranking (most
    likely first). A button payload ("/behaviour_change") is the person's own choice."""
    if not ranking:
        return KEEP
    top, confidence = ranking[0]
    belief = dict(ranking).get(BEHAVIOUR_CHANGE_INTENT, 0.0)
    if top in SAFETY_FIRST_INTENTS:
        return KEEP
    if text.startswith("/"):
        return GO_BEHAVIOUR_CHANGE if top == BEHAVIOUR_CHANGE_INTENT else KEEP
    found = cues(text)
    said_so = found.actor and not found.harmed
    if top == BEHAVIOUR_CHANGE_INTENT:
        return GO_BEHAVIOUR_CHANGE if said_so and confidence >= CONFIDENT else ASK_ROLE
    if said_so and belief >= WORTH_ASKING_WITH_WORDS:
        return ASK_ROLE
    if not found.harmed and belief >= WORTH_ASKING:
        return ASK_ROLE
    return KEEP
