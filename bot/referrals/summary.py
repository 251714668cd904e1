"""The short summary a person agrees to share, composed from triage facts only.

Nothing the person typed is ever part of it: each line is one of our own sentences with names
from the triage vocabulary filled in. The person reads it in their language before agreeing;
the advisor gets the same lines in English (advisors read English; the record keeps the
language so they can arrange an interpreter).
"""

from __future__ import annotations

from bot.directory import load_taxonomy
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES
from bot.referrals.facts import CallbackFacts
from bot.risk import (
    ABUSER_SUICIDE_THREATS,
    ESCALATION,
    FEAR_OF_BEING_KILLED,
    PREGNANCY_OR_NEW_BABY,
    SEPARATION,
    SEXUAL_ABUSE,
    STALKING,
    STRANGULATION,
    THREATS_TO_CHILDREN,
    THREATS_TO_KILL,
    WEAPON,
)
from bot.triage import BEHAVIOUR_CHANGE, FRIEND, PROFESSIONAL, SURVIVOR
from safety.translation import N_, Translate, untranslated

ROLE_LABELS: dict[str, str] = {
    SURVIVOR: N_("Someone affected by abuse"),
    FRIEND: N_("A friend or family member of someone affected by abuse"),
    BEHAVIOUR_CHANGE: N_("Someone worried about their own behaviour"),
    PROFESSIONAL: N_("A professional"),
}
# Plain words for what was told or answered; never a score or a tier.
INDICATOR_LABELS: dict[str, str] = {
    STRANGULATION: N_("choking or strangling"),
    THREATS_TO_KILL: N_("threats to kill"),
    WEAPON: N_("a weapon used or threatened"),
    FEAR_OF_BEING_KILLED: N_("fear of being seriously hurt or killed"),
    ESCALATION: N_("things getting worse or happening more often"),
    SEPARATION: N_("a recent separation, or planning to leave"),
    PREGNANCY_OR_NEW_BABY: N_("pregnancy or a new baby"),
    STALKING: N_("being followed, watched or contacted again and again"),
    SEXUAL_ABUSE: N_("sexual abuse"),
    THREATS_TO_CHILDREN: N_("threats to children"),
    ABUSER_SUICIDE_THREATS: N_("the other person threatening to harm themselves"),
}
# The same words as the chat's buttons for these facts (utter_ask_client_answer).
AUDIENCE_LABELS: dict[str, str] = {
    "woman": N_("Woman"),
    "man": N_("Man"),
    "lgbt": N_("LGBT+"),
    "young_person": N_("Under 18"),
    "older_person": N_("Older person"),
    "deaf": N_("Deaf"),
    "children_in_household": N_("Has children at home"),
    "pregnant": N_("Pregnant"),
}
WHO = N_("Who: {who}")
NEEDS = N_("Help with: {needs}")
SAFETY = N_("Safety worries mentioned: {worries}")
AREA = N_("Area: {district}")
ABOUT = N_("Details: {facts}")
LANGUAGE = N_("Language: {language}")
NOTHING = N_("Nothing from the chat apart from the contact details.")


def summary_lines(facts: CallbackFacts, translate: Translate = untranslated) -> list[str]:
    """The summary, one fact per line, in the language of ``translate`` (English default)."""
    t = translate
    needs = load_taxonomy().needs
    lines = []
    if facts.user_role in ROLE_LABELS:
        lines.append(t(WHO).format(who=t(ROLE_LABELS[facts.user_role])))
    if facts.needs:
        lines.append(t(NEEDS).format(needs="; ".join(t(needs[n].label) for n in facts.needs)))
    if facts.indicators:
        worries = "; ".join(t(INDICATOR_LABELS[i]) for i in facts.indicators)
        lines.append(t(SAFETY).format(worries=worries))
    if facts.district:
        lines.append(t(AREA).format(district=facts.district))
    if facts.audience:
        about = "; ".join(t(AUDIENCE_LABELS[f]) for f in facts.audience)
        lines.append(t(ABOUT).format(facts=about))
    if facts.language != DEFAULT_LANGUAGE:
        lines.append(t(LANGUAGE).format(language=LANGUAGES[facts.language].name))
    return lines or [t(NOTHING)]


def compose_summary(facts: CallbackFacts, translate: Translate = untranslated) -> str:
    """:func:`summary_lines` as one text (English unless ``translate`` says otherwise)."""
    return "\n".join(summary_lines(facts, translate))
