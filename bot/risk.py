"""Risk tier rules: plain, documented and unit-tested.

We never use or copy the SafeLives Dash checklist with survivors. The safety questions ask, in
our own words, about a few well-evidenced high-risk indicators (see docs/triage.md). Things a
person has already told us in their own words count too (``indicators_in_text``).

Rules for a survivor's answers (``survivor_tier``):
- high: any SEVERE indicator (strangulation, threats to kill, weapon), or 4 or more indicators;
- medium: 2 or 3 indicators, none of them severe;
- standard: 0 or 1 indicator;
- unset (None): no question answered and nothing disclosed, so we do not know.
'I'd rather not say' counts as not answered; it never raises or lowers anything.

Rules for a professional (``professional_tier``), following the MARAC referral criteria:
- a Dash count gives the local convention bands: 14+ high, 10-13 medium, 0-9 standard;
- professional judgement of high risk, potential escalation (3 or more incidents in 12 months)
  or a repeat referral (a MARAC referral in the last 12 months) each make it high;
- judgement can only raise the tier, never lower it.

A survivor never sees the tier; they see what happens next (high: a person, an advocate/IDVA
and the MARAC pathway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safety.text import normalise

# Indicator names, the values of the `high_risk_indicators` slot.
STRANGULATION = "strangulation"  # choking, strangling, stopping breathing
THREATS_TO_KILL = "threats_to_kill"  # threats to kill the person, children or others
WEAPON = "weapon"  # a weapon used or threatened
FEAR_OF_BEING_KILLED = "fear_of_being_killed"  # the person fears serious harm or death
ESCALATION = "escalation"  # abuse getting worse or more frequent
SEPARATION = "separation"  # recently left or planning to leave
PREGNANCY_OR_NEW_BABY = "pregnancy_or_new_baby"
STALKING = "stalking"  # following, turning up, constant contact or monitoring
SEXUAL_ABUSE = "sexual_abuse"
THREATS_TO_CHILDREN = "threats_to_children"
ABUSER_SUICIDE_THREATS = "abuser_suicide_threats"

INDICATORS: tuple[str, ...] = (
    STRANGULATION,
    THREATS_TO_KILL,
    WEAPON,
    FEAR_OF_BEING_KILLED,
    ESCALATION,
    SEPARATION,
    PREGNANCY_OR_NEW_BABY,
    STALKING,
    SEXUAL_ABUSE,
    THREATS_TO_CHILDREN,
    ABUSER_SUICIDE_THREATS,
)
SEVERE: frozenset[str] = frozenset({STRANGULATION, THREATS_TO_KILL, WEAPON})
HIGH_COUNT = 4  # this many indicators is high even when none is severe
MEDIUM_COUNT = 2

# The safety questions: form slot -> the indicator a 'yes' stands for (order = asking order).
RISK_QUESTIONS: dict[str, str] = {
    "risk_strangulation": STRANGULATION,
    "risk_threats": THREATS_TO_KILL,
    "risk_weapon": WEAPON,
    "risk_fear": FEAR_OF_BEING_KILLED,
    "risk_escalation": ESCALATION,
    "risk_separation": SEPARATION,
    "risk_pregnancy": PREGNANCY_OR_NEW_BABY,
}
YES, NO, SKIP = "yes", "no", "skip"

# Professional answers: Dash count bands (local convention, not a SafeLives rule).
DASH_HIGH = 14
DASH_MEDIUM = 10
DASH_BANDS = {"14+": DASH_HIGH, "10-13": DASH_MEDIUM, "0-9": 0}
MARAC_VISIBLE_HIGH_RISK = "visible_high_risk"
MARAC_PROFESSIONAL_JUDGEMENT = "professional_judgement"
MARAC_POTENTIAL_ESCALATION = "potential_escalation"
MARAC_REPEAT = "repeat_referral"

# Phrases that disclose an indicator in a person's own words. Over-matching is acceptable:
# an indicator only makes us offer a person sooner.
_SUBJECT = r"(he|she|they|him|her|them|my \w+|partner|husband|wife|boyfriend|girlfriend|ex)"
TEXT_RULES: dict[str, str] = {
    STRANGULATION: r"\b(strangl\w*|chok(e|ed|es|ing)|throttl\w*)\b|hands? (round|around|on) "
    r"my (neck|throat)|couldn'?t breathe|can'?t breathe|stop(ped)? me breathing",
    THREATS_TO_KILL: r"\b(threat\w*|says?|said|going|gonna|will|'ll)\b.{0,25}\b(kill|murder)\b"
    r"|\bkill (me|us|the kids|my)",
    WEAPON: r"\b(knife|knives|gun|weapon|blade|machete|hammer|bat)\b",
    FEAR_OF_BEING_KILLED: r"\b(scared|afraid|frightened|terrified|fear)\b.{0,30}\b(kill|die|dead|"
    r"murder|seriously hurt)",
    ESCALATION: r"\b(getting|got|gets) (worse|more (violent|often|frequent))|\bescalat\w*|"
    r"more and more (often|violent)|\bevery (day|night) now\b",
    SEPARATION: r"\b(just|recently) (left|split|broke up|separated)|\b(left|leaving|leave) "
    r"(him|her|them)\b|\bsplit up\b|\bseparat(ed|ing)\b|\bbroke up\b",
    PREGNANCY_OR_NEW_BABY: r"\bpregnan\w*|\bexpecting( a baby)?\b|\bnew ?born\b|\bnew baby\b|"
    r"\bjust had (a|the|my) baby\b",
    STALKING: r"\b(stalk\w*|follow(s|ing|ed) me|turn(s|ing|ed)? up|keeps? (calling|texting|"
    r"messaging|ringing)|watching (me|my house)|outside my (work|house|home))\b",
    SEXUAL_ABUSE: r"\b(rap(e|ed|ing)|sexual(ly)? (assault|abuse)\w*|forc(e|es|ed|ing) me to "
    r"(have sex|do things|sleep with)|made me have sex|sex when i don'?t want)\b",
    THREATS_TO_CHILDREN: r"\b(threat\w*|hurt|harm|take|kill)\w*\b.{0,20}\b(the|my|our) "
    r"(kids|children|baby|son|daughter)\b",
    ABUSER_SUICIDE_THREATS: _SUBJECT + r"\b.{0,30}\b(kill (him|her|them)sel(f|ves)|"
    r"threat\w* (suicide|to end it)|end (his|her|their) life)",
}
_COMPILED_TEXT_RULES = {name: re.compile(p) for name, p in TEXT_RULES.items()}


def indicators_in_text(text: str) -> list[str]:
    """The indicators a message discloses in the person's own words, in INDICATORS order."""
    norm = normalise(text)
    return [name for name, rx in _COMPILED_TEXT_RULES.items() if rx.search(norm)]


def indicators_from_answers(answers: Mapping[str, str | None]) -> list[str]:
    """Indicators for each safety question answered 'yes' (skipped or 'no' add nothing)."""
    return [ind for slot, ind in RISK_QUESTIONS.items() if answers.get(slot) == YES]


def merge_indicators(*groups: Iterable[str]) -> list[str]:
    """All known indicators from ``groups``, once each, in INDICATORS order."""
    seen = {i for group in groups for i in group}
    return [i for i in INDICATORS if i in seen]


def survivor_tier(indicators: Iterable[str], answered: int) -> str | None:
    """The tier for a survivor's indicators; None when nothing is known.

    ``answered`` is how many safety questions got a yes or a no.
    """
    found = set(indicators) & set(INDICATORS)
    if not found and answered == 0:
        return None
    if found & SEVERE or len(found) >= HIGH_COUNT:
        return "high"
    if len(found) >= MEDIUM_COUNT:
        return "medium"
    return "standard"


def parse_dash(value: str | None) -> int | None:
    """A Dash count from a button band ('14+', '10-13', '0-9') or a number; None if unknown."""
    if value is None:
        return None
    value = str(value).strip()
    if value in DASH_BANDS:
        return DASH_BANDS[value]
    match = re.fullmatch(r"(\d{1,2})(\.0)?", value)
    if match and int(match.group(1)) <= 24:  # the checklist has 24 questions
        return int(match.group(1))
    return None


@dataclass(frozen=True)
class ProfessionalAssessment:
    tier: str | None
    marac_criteria: tuple[str, ...]

    @property
    def marac(self) -> bool:
        return bool(self.marac_criteria)


def dash_tier(count: int | None) -> str | None:
    """The local convention band for a Dash count."""
    if count is None:
        return None
    if count >= DASH_HIGH:
        return "high"
    if count >= DASH_MEDIUM:
        return "medium"
    return "standard"


def professional_tier(
    dash: str | None, judgement: str | None, escalation: str | None, repeat: str | None
) -> ProfessionalAssessment:
    """Tier and MARAC criteria met from a professional's answers (each yes/no/skip or None)."""
    count = parse_dash(dash)
    criteria = []
    if count is not None and count >= DASH_HIGH:
        criteria.append(MARAC_VISIBLE_HIGH_RISK)
    if judgement == YES:
        criteria.append(MARAC_PROFESSIONAL_JUDGEMENT)
    if escalation == YES:
        criteria.append(MARAC_POTENTIAL_ESCALATION)
    if repeat == YES:
        criteria.append(MARAC_REPEAT)
    tier = "high" if criteria else dash_tier(count)
    return ProfessionalAssessment(tier, tuple(criteria))


def higher_tier(a: str | None, b: str | None) -> str | None:
    """The higher of two tiers (None is below standard): judgement only ever raises."""
    order = {None: 0, "standard": 1, "medium": 2, "high": 3}
    return a if order[a] >= order[b] else b
