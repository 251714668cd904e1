"""The triage facts a callback offer carries from the dialogue to the web server.

Rasa only offers the callback: the action reads the slots and sends these facts in the offer's
marker; the channel keeps them (encrypted) until the person has chosen how to be contacted.
Every value is checked against the triage vocabulary when it arrives, because slot values can
come from what people type: nothing but known names ever reaches a referral.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.i18n import DEFAULT_LANGUAGE, language_or_default
from bot.risk import (
    INDICATORS,
    NO,
    RISK_QUESTIONS,
    YES,
    higher_tier,
    indicators_from_answers,
    merge_indicators,
    survivor_tier,
)
from bot.triage import (
    AUDIENCE_FACTS,
    DISTRICTS,
    FRIEND,
    NEED_TYPES,
    RISK_TIERS,
    SURVIVOR,
    USER_ROLES,
)

CALLBACK = "callback"  # the kind of the offer's marker reply (and of the web form)
CALLBACK_DONE = "callback_done"  # the kind of the confirmation


@dataclass(frozen=True)
class CallbackFacts:
    """What the conversation established, in the triage vocabulary only (never words)."""

    needs: tuple[str, ...] = ()
    risk_tier: str | None = None
    indicators: tuple[str, ...] = ()
    district: str | None = None
    audience: tuple[str, ...] = ()
    user_role: str | None = None
    language: str = DEFAULT_LANGUAGE

    def to_payload(self) -> dict[str, object]:
        return {
            "needs": list(self.needs),
            "risk_tier": self.risk_tier,
            "indicators": list(self.indicators),
            "district": self.district,
            "audience": list(self.audience),
            "user_role": self.user_role,
            "language": self.language,
        }


def _known(values: object, vocabulary: Iterable[str]) -> tuple[str, ...]:
    """The known names in ``values``, once each, in the vocabulary's order."""
    given = set(values) if isinstance(values, list | tuple) else set()
    return tuple(v for v in vocabulary if v in given)


def _one(value: object, vocabulary: Iterable[str]) -> str | None:
    return value if isinstance(value, str) and value in vocabulary else None


def facts_from_payload(payload: object) -> CallbackFacts:
    """Facts from an offer marker (or a stored draft); anything unknown is dropped."""
    data = payload if isinstance(payload, Mapping) else {}
    return CallbackFacts(
        needs=_known(data.get("needs"), NEED_TYPES),
        risk_tier=_one(data.get("risk_tier"), RISK_TIERS),
        indicators=_known(data.get("indicators"), INDICATORS),
        district=_one(data.get("district"), DISTRICTS),
        audience=_known(data.get("audience"), AUDIENCE_FACTS),
        user_role=_one(data.get("user_role"), USER_ROLES),
        language=language_or_default(data.get("language")),
    )


def facts_from_slots(slots: Mapping[str, object]) -> CallbackFacts:
    """Facts from the dialogue's slots, including safety questions answered so far.

    The offer can come in the middle of the safety questions, before ``action_assess_risk``
    has run, so the answers given up to then are counted here too: they can only raise the
    tier.
    """
    answers = {slot: slots.get(slot) for slot in RISK_QUESTIONS}
    told = slots.get("high_risk_indicators")
    indicators = merge_indicators(indicators_from_answers(answers), _known(told, INDICATORS))
    answered = sum(1 for a in answers.values() if a in (YES, NO))
    tier = higher_tier(
        _one(slots.get("risk_tier"), RISK_TIERS), survivor_tier(indicators, answered)
    )
    return facts_from_payload(
        {
            "needs": slots.get("need_types"),
            "risk_tier": tier,
            "indicators": indicators,
            "district": slots.get("district"),
            "audience": slots.get("audience"),
            "user_role": slots.get("user_role"),
            "language": slots.get("language"),
        }
    )


def should_offer(role: str | None, risk_tier: str | None, needs: Iterable[str] | None) -> bool:
    """The callback is always offered to a survivor or friend at high risk or in danger."""
    in_danger = risk_tier == "high" or "immediate_danger" in (needs or ())
    return in_danger and (role or SURVIVOR) in (SURVIVOR, FRIEND)
