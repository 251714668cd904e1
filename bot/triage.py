"""The triage vocabulary shared by the dialogue model and the directory, and the plain rules
that turn what someone has told us into slot values and the next step of the conversation.

The dialogue (domain.yml, actions/triage.py) sets the slots named here; the directory side
(action_suggest_services) reads them to match services. Both import these constants so the
names cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# --- Slot names: the contract with action_suggest_services -------------------------------
SLOT_NEED_TYPES = "need_types"  # list of NEED_TYPES, in the order they were raised
SLOT_RISK_TIER = "risk_tier"  # one of RISK_TIERS, or unset when nothing was answered
SLOT_HIGH_RISK_INDICATORS = "high_risk_indicators"  # list of bot.risk.INDICATORS
SLOT_DISTRICT = "district"  # one of DISTRICTS, or unset
SLOT_USER_ROLE = "user_role"  # one of USER_ROLES
SLOT_AUDIENCE = "audience"  # list of AUDIENCE_FACTS
SLOT_LANGUAGE = "language"  # a bot.i18n.LANGUAGES code, or unset for English

# --- Slot values -------------------------------------------------------------------------
NEED_TYPES: tuple[str, ...] = (
    "immediate_danger",
    "recognise_abuse",
    "advocacy_safety",
    "safe_accommodation",
    "housing",
    "counselling",
    "legal",
    "financial",
    "children",
    "sexual_violence",
    "stalking",
    "harmful_practices",
    "behaviour_change",
    "tech_safety",
    "professional_referral",
)
RISK_TIERS: tuple[str, ...] = ("standard", "medium", "high")
DISTRICTS: tuple[str, ...] = (
    "Broxbourne",
    "Dacorum",
    "East Herts",
    "Hertsmere",
    "North Herts",
    "St Albans",
    "Stevenage",
    "Three Rivers",
    "Watford",
    "Welwyn Hatfield",
)
SURVIVOR, FRIEND, PROFESSIONAL, BEHAVIOUR_CHANGE = (
    "survivor",
    "friend",
    "professional",
    "behaviour_change",
)
USER_ROLES: tuple[str, ...] = (SURVIVOR, FRIEND, PROFESSIONAL, BEHAVIOUR_CHANGE)
AUDIENCE_FACTS: tuple[str, ...] = (
    "woman",
    "man",
    "lgbt",
    "young_person",
    "older_person",
    "deaf",
    "children_in_household",
    "pregnant",
)

# --- What the NLU intents mean -----------------------------------------------------------
# Every need type is also an intent of the same name. These intents say who is writing.
ROLE_FOR_INTENT: dict[str, str] = {
    "im_survivor": SURVIVOR,
    "worried_about_someone": FRIEND,
    "im_professional": PROFESSIONAL,
    "professional_referral": PROFESSIONAL,
    "behaviour_change": BEHAVIOUR_CHANGE,
}
# The broad answer `python -m bot.classify` gives for intents that name no need.
GREETING, OUT_OF_SCOPE, INFORMATION = "greeting", "out_of_scope", "information"
CONVERSATION_INTENTS: dict[str, str] = {
    "greet": GREETING,
    "goodbye": GREETING,
    "thank_you": GREETING,
    "out_of_scope": OUT_OF_SCOPE,
    "nlu_fallback": OUT_OF_SCOPE,
    "ask_about_service": INFORMATION,
    "affirm": INFORMATION,
    "deny": INFORMATION,
    "skip_question": INFORMATION,
    "stop": INFORMATION,
    "inform": INFORMATION,
    "request_text": INFORMATION,
    "request_callback": INFORMATION,
    "choose_language": INFORMATION,
    "worried_about_someone": INFORMATION,
    "im_survivor": INFORMATION,
    "im_professional": "professional_referral",
    # Suicidal feelings (forced by the danger guard) need emotional support first.
    "suicidal_feelings": "counselling",
}

# --- The next step after someone tells us who they are or what they need ------------------
NEXT_ASK_NEED = "ask_need"  # we know who is writing, not yet what they need
NEXT_OFFER_RISK = "offer_risk"  # a survivor disclosed: offer the short safety questions
NEXT_SERVICES = "services"  # show services now
NEXT_FRIEND = "friend"  # guidance on helping someone safely, then services
NEXT_PROFESSIONAL = "professional"  # the professional's referral questions
NEXT_BEHAVIOUR_CHANGE = "behaviour_change"  # support to change one's own behaviour
NEXT_ASK_ROLE = "ask_role"  # not clear who did what to whom: ask before any behaviour support
NEXT_STEPS: tuple[str, ...] = (
    NEXT_ASK_NEED,
    NEXT_OFFER_RISK,
    NEXT_SERVICES,
    NEXT_FRIEND,
    NEXT_PROFESSIONAL,
    NEXT_BEHAVIOUR_CHANGE,
    NEXT_ASK_ROLE,
)
# Needs after which safety questions would be out of place.
_NO_RISK_QUESTIONS = {"immediate_danger", "recognise_abuse", "behaviour_change"}


def need_for_intent(intent: str | None) -> str | None:
    """The need type an intent names, or None for greetings, answers and the like."""
    if intent in NEED_TYPES:
        return intent
    need = CONVERSATION_INTENTS.get(intent or "")
    return need if need in NEED_TYPES else None


def need_type_for_intent(intent: str | None) -> str:
    """The broad label `python -m bot.classify` reports: a need type, greeting, out of scope
    or information."""
    return need_for_intent(intent) or CONVERSATION_INTENTS.get(intent or "", OUT_OF_SCOPE)


def add_need(needs: Iterable[str] | None, need: str | None) -> list[str]:
    """``needs`` with ``need`` added at the end, once; unknown names are dropped."""
    result = [n for n in needs or () if n in NEED_TYPES]
    if need in NEED_TYPES and need not in result:
        result.append(need)
    return result


def role_after(intent: str | None, current_role: str | None) -> str:
    """Who is writing, once ``intent`` is taken into account.

    A message that says who the person is changes the role (people change their mind, or
    start by asking for a friend); otherwise the role stays, and by default we are talking
    with someone affected by abuse.
    """
    return ROLE_FOR_INTENT.get(intent or "") or current_role or SURVIVOR


def next_step(role: str, need: str | None, risk_asked: bool) -> str:
    """What the dialogue does next, given who is writing and the need just raised."""
    if need == "immediate_danger":
        return NEXT_SERVICES
    if role == PROFESSIONAL:
        return NEXT_PROFESSIONAL
    if role == FRIEND:
        return NEXT_FRIEND
    if role == BEHAVIOUR_CHANGE:
        return NEXT_BEHAVIOUR_CHANGE
    if need is None:
        return NEXT_ASK_NEED
    if need in _NO_RISK_QUESTIONS or risk_asked:
        return NEXT_SERVICES
    return NEXT_OFFER_RISK


# Intents whose messages go through action_triage (data/rules/triage.yml), which also asks for
# the 999 guidance when the learned danger detector alone saw danger (components/danger_guard).
TRIAGE_INTENTS: frozenset[str] = frozenset(
    {*NEED_TYPES, "im_survivor", "worried_about_someone", "im_professional"}
) - {"immediate_danger"}

# Intents that say who is writing but name no need of their own.
_ROLE_ONLY_INTENTS = {"im_survivor", "worried_about_someone"}


@dataclass(frozen=True)
class TriageTurn:
    """Slot values after one message that says who is writing or what they need."""

    role: str
    needs: list[str]
    next: str
    risk_offered: bool


def triage_turn(
    intent: str | None,
    role: str | None,
    needs: Iterable[str] | None,
    risk_offered: bool,
    ask_role: bool = False,
) -> TriageTurn:
    """Update who is writing and what they need from the intent of their latest message.

    ``ask_role`` (bot.role.route said so): it is not clear whether the person did something
    or had it done to them, so nothing changes yet and we ask them (role safety).
    """
    if ask_role:
        return TriageTurn(role or SURVIVOR, add_need(needs, None), NEXT_ASK_ROLE, risk_offered)
    new_role = role_after(intent, role)
    need = None if intent in _ROLE_ONLY_INTENTS else need_for_intent(intent)
    step = next_step(new_role, need, risk_offered)
    return TriageTurn(
        role=new_role,
        needs=add_need(needs, need),
        next=step,
        risk_offered=risk_offered or step == NEXT_OFFER_RISK,
    )
