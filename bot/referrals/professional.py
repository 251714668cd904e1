"""A professional's referral of a client to the One Front Door team, from the form on
/professionals/refer, into the same queue as the chat's callback requests.

Staff-facing, so the wording is English (as on the 'Where to refer' page). Every field is
bounded and checked; the summary is composed from the structured answers only, and the
client's consent is required.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.i18n import LANGUAGES, language_or_default
from bot.referrals.callback import NUMBER_NEEDED, CallbackRefused, CallbackRequest, check_request
from bot.referrals.facts import facts_from_payload
from bot.referrals.record import PROFESSIONAL, Referral, Referrer
from bot.referrals.summary import NOTHING, summary_lines
from bot.risk import (
    MARAC_POTENTIAL_ESCALATION,
    MARAC_PROFESSIONAL_JUDGEMENT,
    MARAC_REPEAT,
    MARAC_VISIBLE_HIGH_RISK,
    higher_tier,
    parse_dash,
    professional_tier,
    survivor_tier,
)
from safety import sms

MAX_FIELD = 100
MAX_CONTACT = 254  # the longest email address
ANSWERS = ("yes", "no")
MARAC_LABELS = {
    MARAC_VISIBLE_HIGH_RISK: "visible high risk (Dash 14 or more)",
    MARAC_PROFESSIONAL_JUDGEMENT: "professional judgement",
    MARAC_POTENTIAL_ESCALATION: "potential escalation",
    MARAC_REPEAT: "repeat referral within 12 months",
}
CONSENT_LABEL = "My client agrees to this referral and to us sharing these details"
NO_DETAILS = "No details given apart from the client's safe contact."
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ReferralFormErrors(ValueError):
    """Everything wrong with the form at once, each said plainly for the professional."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ProfessionalReferral:
    referral: Referral
    request: CallbackRequest


def _text(value: object) -> str:
    """One line of text: control characters out, spaces collapsed."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(value or ""))
    return " ".join(text.split())


def _required(values: Mapping, name: str, label: str, errors: list[str]) -> str:
    text = _text(values.get(name))
    if not text:
        errors.append(f"Enter your {label}.")
    elif len(text) > MAX_FIELD:
        errors.append(f"Your {label} must be {MAX_FIELD} characters or fewer.")
    return text


def _referrer_contact(values: Mapping, errors: list[str]) -> str:
    contact = _text(values.get("referrer_contact"))
    if not contact:
        errors.append("Enter a phone number or work email address for you.")
        return contact
    if len(contact) <= MAX_CONTACT and _EMAIL.fullmatch(contact):
        return contact
    try:
        return sms.uk_phone_e164(contact)
    except sms.InvalidNumber:
        errors.append("Your contact must be a UK phone number or an email address.")
        return contact


def _answer(values: Mapping, name: str, errors: list[str]) -> str | None:
    value = values.get(name) or None
    if value is not None and value not in ANSWERS:
        errors.append("Choose from the options given.")
        return None
    return value


def _contact_request(values: Mapping, errors: list[str]) -> CallbackRequest | None:
    try:
        return check_request(
            values.get("method"), values.get("number"), values.get("times"),
            values.get("voicemail"), values.get("safe_word"),
        )  # fmt: skip
    except CallbackRefused as error:
        if error.message_id == NUMBER_NEEDED:
            errors.append(
                "Give a number that is safe for your client, or choose 'My client will call you'."
            )
        else:
            errors.append(f"Client's safe contact: {error.explain()}")
        return None


def professional_referral(values: Mapping) -> ProfessionalReferral:
    """The referral from the form's values (lists for needs, audience, indicators and times),
    or :class:`ReferralFormErrors` listing everything to fix."""
    errors: list[str] = []
    dash = _text(values.get("dash"))
    if dash and parse_dash(dash) is None:
        errors.append("The Dash count must be a whole number from 0 to 24.")
    answers = {
        name: _answer(values, name, errors) for name in ("judgement", "escalation", "repeat")
    }
    request = _contact_request(values, errors)
    if not values.get("consent"):
        errors.append(f"Tick '{CONSENT_LABEL}': we can only take a referral with their consent.")
    referrer = Referrer(
        name=_required(values, "referrer_name", "name", errors),
        organisation=_required(values, "referrer_organisation", "organisation", errors),
        role=_required(values, "referrer_role", "role", errors),
        contact=_referrer_contact(values, errors),
        client_consent=bool(values.get("consent")),
    )
    language = values.get("language") or "en"
    if language not in LANGUAGES:
        errors.append("Choose the client's language from the list.")
    if errors or request is None:
        raise ReferralFormErrors(errors)
    # Unknown needs, places and facts are dropped, as from the chat.
    facts = facts_from_payload(
        {
            "needs": values.get("need"),
            "indicators": values.get("indicator"),
            "district": values.get("district") or None,
            "audience": values.get("audience"),
            "language": language_or_default(language),
        }
    )
    assessment = professional_tier(dash or None, *answers.values())
    tier = higher_tier(assessment.tier, survivor_tier(facts.indicators, 0))
    lines = [line for line in summary_lines(facts) if line != NOTHING]
    if dash:
        lines.append(f"Dash checklist: {parse_dash(dash)} yes answers")
    if assessment.marac_criteria:
        met = ", ".join(MARAC_LABELS[c] for c in assessment.marac_criteria)
        lines.append(f"MARAC criteria met: {met}")
    referral = Referral(
        source=PROFESSIONAL,
        risk_tier=tier,
        indicators=facts.indicators,
        needs=facts.needs,
        district=facts.district,
        audience=facts.audience,
        user_role=None,
        language=facts.language,
        contact=request.safe_contact(),
        summary="\n".join(lines) or NO_DETAILS,
        consent_to_share=True,
        referrer=referrer,
    )
    return ProfessionalReferral(referral, request)
