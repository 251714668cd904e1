"""What a whole conversation has told us so far: place, facts about the person, and high-risk
indicators disclosed in their own words. People tell their story in pieces; we gather every
piece so nobody has to repeat themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.places import district_for, district_in_text
from bot.risk import indicators_in_text, merge_indicators
from bot.triage import AUDIENCE_FACTS


@dataclass(frozen=True)
class UserMessage:
    """One message as the NLU saw it: its text and the entities found in it."""

    text: str
    entities: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Disclosure:
    district: str | None
    audience: list[str]
    indicators: list[str]


def _entity_values(message: UserMessage, name: str) -> list[str]:
    return [str(e.get("value")) for e in message.entities if e.get("entity") == name]


def gather(messages: Iterable[UserMessage], extra_audience: Iterable[str] = ()) -> Disclosure:
    """Everything ``messages`` disclose. The latest place named wins (people correct
    themselves); facts and indicators add up. Button payloads ("/...") carry entities only."""
    messages = list(messages)
    district = None
    for message in reversed(messages):
        found = [district_for(v) for v in _entity_values(message, "district")]
        found = [d for d in found if d]
        if not found and not message.text.startswith("/"):
            found = [d for d in [district_in_text(message.text)] if d]
        if found:
            district = found[0]
            break
    seen = {v for m in messages for v in _entity_values(m, "audience")} | set(extra_audience)
    indicators = merge_indicators(
        *(indicators_in_text(m.text) for m in messages if not m.text.startswith("/"))
    )
    return Disclosure(district, [f for f in AUDIENCE_FACTS if f in seen], indicators)
