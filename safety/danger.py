"""Danger detection that does not depend on the dialogue model.

Phrase rules catch messages about immediate danger or suicidal feelings. They are tuned to
over-flag: showing 999 guidance to someone who is not in danger costs little, missing someone
who is costs everything. The result names which rules matched, never the text itself, so it
can be logged safely.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Each rule: a name that is safe to log, and a pattern over normalised text.
IMMEDIATE_DANGER_RULES: dict[str, str] = {
    "danger_now": r"\b(in danger|not safe|unsafe)\b.{0,20}\b(now|right now|tonight|here)\b"
    r"|\bi('m| am) in danger\b|\bdanger(ous)? right now\b",
    "abuser_present": r"\b(he|she|they|my (ex|partner|husband|wife|boyfriend|girlfriend|dad|"
    r"father|brother|son))\b.{0,20}\b(is|'s|are|'re)\b.{0,12}\b(here|outside|at the door|"
    r"downstairs|coming( back)?|on (his|her|their) way|banging|breaking|trying to get in)\b",
    "breaking_in": r"\b(break(ing)? (in|down the door)|kick(ing)? the door|trying to get in)\b",
    "threat_to_kill_now": r"\b(going to|gonna|will|wants? to|about to)\s+(kill|murder|stab|"
    r"shoot|strangle|hurt|beat)\s+(me|us|my (kids|children|baby|son|daughter))\b",
    "weapon_now": r"\b(has|got|holding|with|grabbed)\s+(a|the|his|her)?\s*(knife|gun|weapon|"
    r"blade|hammer)\b",
    "attack_now": r"\b(hitting|attacking|strangling|choking|beating|hurting)\s+(me|us)\b.{0,15}"
    r"\b(now|right now)?\b|\b(being|getting) (attacked|beaten|hit)\b",
    "trapped": r"\b(locked|trapped) (me )?(in|inside)\b|\bcan'?t (get out|escape|leave the "
    r"(house|room))\b",
    "help_now": r"\b(help me|need help|send (help|police|someone))\b.{0,10}\b(now|quick(ly)?|"
    r"please|asap|urgently)\b|\bcall (the )?police\b|\bemergency\b",
}

SUICIDE_RULES: dict[str, str] = {
    "self_harm_intent": r"\b(kill|hurt|harm) my ?self\b|\bend (it all|my life)\b|\bsuicid",
    "not_wanting_to_live": r"\b(want|wanna) to die\b|\bdon'?t want to (live|be here|"
    r"be alive)\b|\bno reason to live\b|\bbetter off dead\b",
}

_COMPILED_DANGER = {name: re.compile(p) for name, p in IMMEDIATE_DANGER_RULES.items()}
_COMPILED_SUICIDE = {name: re.compile(p) for name, p in SUICIDE_RULES.items()}


@dataclass(frozen=True)
class DangerAssessment:
    immediate_danger: bool
    suicide_risk: bool
    rules: tuple[str, ...]

    @property
    def any(self) -> bool:
        return self.immediate_danger or self.suicide_risk


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes and spacing so phrase rules see one form."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def assess(text: str) -> DangerAssessment:
    """Say whether ``text`` is about immediate danger or suicidal feelings."""
    norm = normalise(text)
    danger = [name for name, rx in _COMPILED_DANGER.items() if rx.search(norm)]
    suicide = [name for name, rx in _COMPILED_SUICIDE.items() if rx.search(norm)]
    return DangerAssessment(bool(danger), bool(suicide), tuple(danger + suicide))
