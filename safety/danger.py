"""Danger detection that does not depend on the dialogue model.

Phrase rules catch messages about immediate danger or suicidal feelings. They are tuned to
over-flag: showing 999 guidance to someone who is not in danger costs little, missing someone
who is costs everything. Given the message's sentence vector and the learned detector
(safety/danger_model.py), danger the rules do not know is added; the detector can never take
away danger the rules saw. The result names which rules matched, never the text itself, so it
can be logged safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safety.danger_phrases import DANGER_PHRASE_LISTS, matching_rules
from safety.text import normalise

if TYPE_CHECKING:
    import numpy as np

    from safety.danger_model import DangerModel

# Who the danger comes from, as people write it (with or without apostrophes).
_WHO = (
    r"(he|she|they|my (ex|partner|husband|hubby|wife|boyfriend|bf|girlfriend|gf|dad|father|"
    r"stepdad|mum|mother|brother|son|daughter|uncle|family)|the abuser)"
)
_IS = r"( is|'s|s| are|'re|re)"
_NOW = r"(now|right now|tonight|here|at the moment|atm)"
_OVERDOSE = (
    r"\b(took|taken|swallowed|necked|had)\b.{0,12}\b(all|a lot of|lots of|loads of|a load of|"
    r"a bottle of|a packet of|a box of|a handful of|the whole|too many|\d+)\b.{0,15}\b(pills|"
    r"tablets|paracetamol|painkillers)\b|\b(took|taken|had) an overdose\b"
)

# Each rule: a name that is safe to log, and a pattern over normalised text.
IMMEDIATE_DANGER_RULES: dict[str, str] = {
    "danger_now": r"\b(in danger|not safe|unsafe)\b.{0,20}\b" + _NOW + r"\b"
    r"|\bi('m| am|m) in (danger|trouble)\b|\bdanger(ous)? right now\b|\bin danger\b",
    "abuser_present": r"\b" + _WHO + _IS + r"\b.{0,15}\b(here|outside|at the (door|window)|"
    r"downstairs|upstairs|in the house|coming( back| round| over| for me)?|on (his|her|their|"
    r"the) way|banging|breaking|kicking|trying to get in|looking for me|found me|back)\b",
    "breaking_in": r"\b(break(ing)? (in|down the door|the door)|kick(ing)? (in )?the door|"
    r"trying to get in|smash(ing)? (the|my) (door|window)|banging on the (door|window))\b",
    "threat_to_kill_now": r"\b(going to|gonna|will|'ll|wants? to|about to|trying to|threatening "
    r"to)\s+(kill|murder|stab|shoot|strangle|hurt|beat|batter)\s+(me|us|my (kids|children|"
    r"baby|son|daughter)|the (kids|children|baby))\b|\b(kill|murder) me\b",
    "weapon_now": r"\b(has|got|holding|with|grabbed|waving|pulled)\s+(a|the|his|her)?\s*"
    r"(knife|nife|gun|weapon|blade|hammer|machete|bat)\b",
    # "he's been hitting me" tells of the past; "he's hitting me" is happening now.
    "attack_now": r"(?<!been )\b(hitting|attacking|strangling|choking|beating|hurting|kicking|"
    r"punching)\s+(me|us|the (kids|children|baby)|my (kids|children|baby|mum|mother))\b|\b(being|"
    r"getting) (attacked|beaten|hit|strangled|choked)\b|\bcan'?t breathe\b",
    "trapped": r"\b(locked|trapped|shut|barricaded) (me |us |myself )?(in|inside)\b|\bcan'?t "
    r"(get out|escape|leave the (house|room|flat))\b|\bhiding (from (him|her|them)|in the)\b",
    "injured_now": r"\b(i'?m|i am) (bleeding|badly hurt|injured)\b|\bneed an ambulance\b|"
    r"\bthink (my|i) (arm|nose|ribs?|jaw)?.{0,10}(broken|broke)\b",
    # An overdose in progress needs an ambulance (and Samaritans, from the suicide rules).
    "overdose_now": _OVERDOSE,
    "help_now": r"\b(help me|need help)\b.{0,10}\b(now|quick(ly)?|please|asap|urgently)\b|"
    r"\bsend (the )?(help|police|cops|someone|an ambulance)\b|(?<!if i )(?<!should i )"
    r"(?<!when i )\b(call|ring|get) (the )?(police|999|cops)\b|\bsos\b|"
    r"\bemergency\b(?! (accommodation|housing|refuge|bed|space|place|fund|funds|money|payment|"
    r"loan|grant|protection order|order|injunction|injunctions|appointment))|^help( help)*$",
}

SUICIDE_RULES: dict[str, str] = {
    "overdose_taken": _OVERDOSE,
    "self_harm_intent": r"\b(kill(ing)?|hurt(ing)?|harm(ing)?|cut(ting)?) my ?self\b|"
    r"\bend(ing)? (it all|my life|it)\b(?! with)|\bsuicid|\btake my (own )?life\b|\boverdose\b",
    "not_wanting_to_live": r"\b(want to|wanna) die\b|\bdon'?t want to (live|be here|"
    r"be alive|wake up)\b|\bno reason to live\b|\bbetter off dead\b|\bcan'?t go on\b",
}

_COMPILED_DANGER = {name: re.compile(p) for name, p in IMMEDIATE_DANGER_RULES.items()}
_DANGER_RULE_NAMES = set(IMMEDIATE_DANGER_RULES) | set(DANGER_PHRASE_LISTS)
_COMPILED_SUICIDE = {name: re.compile(p) for name, p in SUICIDE_RULES.items()}


@dataclass(frozen=True)
class DangerAssessment:
    immediate_danger: bool
    suicide_risk: bool
    rules: tuple[str, ...]

    @property
    def learned_only(self) -> bool:
        """Danger seen by the learned detector alone, none of the phrase rules."""
        return (
            self.immediate_danger
            and LEARNED in self.rules
            and not any(name in _DANGER_RULE_NAMES for name in self.rules)
        )

    @property
    def any(self) -> bool:
        return self.immediate_danger or self.suicide_risk


LEARNED = "learned"  # the rule name when the learned detector saw danger


def assess(
    text: str, sentence: np.ndarray | None = None, detector: DangerModel | None = None
) -> DangerAssessment:
    """Say whether ``text`` is about immediate danger or suicidal feelings: the phrase rules,
    and the learned ``detector`` on the message's ``sentence`` vector when both are given."""
    norm = normalise(text)
    danger = [name for name, rx in _COMPILED_DANGER.items() if rx.search(norm)]
    if detector is not None and sentence is not None and detector.sees_danger(text, sentence):
        danger.append(LEARNED)
    suicide = [name for name, rx in _COMPILED_SUICIDE.items() if rx.search(norm)]
    danger_in_lists, suicide_in_lists = matching_rules(norm)
    danger += danger_in_lists
    suicide += suicide_in_lists
    return DangerAssessment(bool(danger), bool(suicide), tuple(danger + suicide))
