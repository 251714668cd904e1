"""What a referral to the One Front Door team holds: the contract between the chat, the
professionals' form, the encrypted store and the advisor console.

A referral carries structured facts only. There is deliberately no field for the person's own
words: the summary is composed from these facts and shown to the person, who agrees to share it
(``consent_to_share``) before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How the person said it is safe to be contacted (None: they skipped the question).
CALL, TEXT, THEY_CALL = "call", "text", "they_call"
CONTACT_METHODS: tuple[str, ...] = (CALL, TEXT, THEY_CALL)

# Where a referral came from.
WEB_CHAT, SMS_CHAT, PROFESSIONAL = "web_chat", "sms_chat", "professional"
SOURCES: tuple[str, ...] = (WEB_CHAT, SMS_CHAT, PROFESSIONAL)


@dataclass(frozen=True)
class SafeContact:
    """Safe-contact instructions, each one skippable, shown first to the advisor."""

    method: str | None = None  # one of CONTACT_METHODS
    number: str | None = None  # a validated UK number, or None
    times: str | None = None  # when it is safe to contact them, as they chose it
    voicemail_ok: bool | None = None  # None: not asked or skipped, so treat as not safe
    safe_word: str | None = None  # a word or name to use so the person knows it is us


@dataclass(frozen=True)
class Referrer:
    """A professional referring a client, with the client's consent recorded."""

    name: str
    organisation: str
    role: str
    contact: str  # a phone number or work email for the advisor to call back
    client_consent: bool


@dataclass(frozen=True)
class Referral:
    source: str  # one of SOURCES
    risk_tier: str | None  # one of bot.triage.RISK_TIERS, None when not known
    indicators: tuple[str, ...] = ()  # bot.risk.INDICATORS behind the tier
    needs: tuple[str, ...] = ()  # bot.triage.NEED_TYPES
    district: str | None = None  # one of bot.triage.DISTRICTS
    audience: tuple[str, ...] = ()  # bot.triage.AUDIENCE_FACTS
    user_role: str | None = None  # bot.triage.USER_ROLES
    language: str = "en"  # a bot.i18n.LANGUAGES code
    contact: SafeContact = field(default_factory=SafeContact)
    summary: str = ""  # composed from the facts above, shown to and agreed by the person
    consent_to_share: bool = False
    referrer: Referrer | None = None  # only for source == PROFESSIONAL
