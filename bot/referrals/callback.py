"""A request to be contacted by the One Front Door team: checking the safe-contact answers,
building the referral, and saying back in plain words what will happen.

Every answer is optional. The answers come from the web form or the SMS steps straight to
here, never through the dialogue model, so a phone number never reaches Rasa. Nothing is
stored without the person's agreement to share the summary (``ReferralStore.add`` refuses it
too): without it we say so kindly and give the number to call instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.contact import FrontDoor, contact_phrase
from bot.referrals.facts import CallbackFacts
from bot.referrals.record import CALL, CONTACT_METHODS, TEXT, THEY_CALL, Referral, SafeContact
from bot.referrals.summary import compose_summary
from safety import sms
from safety.translation import N_, KindError, Translate, untranslated

MAX_SAFE_WORD = 30
YES, NO = "yes", "no"


@dataclass(frozen=True)
class TimeChoice:
    label: str  # on the form, and (in English) for the advisor
    phrase: str  # inside the confirmation sentence


# A small fixed set: the person's safe windows, in UK time.
TIME_CHOICES: dict[str, TimeChoice] = {
    "morning": TimeChoice(N_("Morning (9am to 12 noon)"), N_("in the morning (9am to 12 noon)")),
    "afternoon": TimeChoice(
        N_("Afternoon (12 noon to 5pm)"), N_("in the afternoon (12 noon to 5pm)")
    ),
    "evening": TimeChoice(N_("Evening (5pm to 8pm)"), N_("in the evening (5pm to 8pm)")),
}

ANY_TIME = "Any time (no times chosen)"  # for the advisor, in English

BAD_CHOICE = N_("Please choose from the options given.")
NUMBER_NEEDED = N_("Please give a number that is safe for us to use, or choose 'I'll call you'.")
BAD_SAFE_WORD = N_(
    "Please use only letters and spaces for the safe word or name, up to {limit} characters."
)
CONSENT_NEEDED = N_(
    "We can only pass this on to the team if you agree to share the summary. If you'd rather "
    "not, that's fine: you can call {contact} when it is safe for you."
)

THANKS = N_("Thank you.")
WILL_CALL = N_(
    "Someone from the One Front Door team will call you on the number ending {digits}, {when}."
)
WILL_TEXT = N_(
    "Someone from the One Front Door team will text you on the number ending {digits}, {when}."
)
WILL_CONTACT = N_(
    "Someone from the One Front Door team will get in touch on the number ending {digits}, {when}."
)
AS_SOON_AS = N_("as soon as they can")
AS_SOON_AS_AT = N_("as soon as they can, {times}")
EITHER = N_("{first} or {second}")
NO_VOICEMAIL = N_("They won't leave a voicemail.")
MAY_LEAVE_VOICEMAIL = N_("If you don't answer, they may leave a voicemail.")
SAFE_WORD_SAID = N_('They will mention "{word}", so you know it\'s us.')
SUMMARY_SHARED = N_(
    "They will have the summary you agreed to share, so you won't have to repeat yourself."
)
DANGER_BEFORE = N_("If you are in danger before then, call 999.")
YOU_CALL = N_(
    "We've passed the summary you agreed to share to the One Front Door team. Nobody will "
    "contact you: you can call {contact} when it is safe for you."
)
OPEN_HOURS = N_("Open: {hours}")
DANGER_ANY_TIME = N_("If you are in danger, call 999.")


class CallbackRefused(KindError):
    """Why a callback request cannot be taken: kind and safe to show, with an HTTP status."""

    def __init__(self, message_id: str, status: int = 400, **params: object) -> None:
        super().__init__(message_id, **params)
        self.status = status


@dataclass(frozen=True)
class CallbackRequest:
    """The person's checked answers. ``method`` is THEY_CALL whenever there is no number."""

    method: str | None  # one of CONTACT_METHODS; None: any way (they skipped the question)
    number: str | None = None  # +44...
    times: tuple[str, ...] = ()  # TIME_CHOICES keys; () means any time
    voicemail_ok: bool | None = None
    safe_word: str | None = None

    def safe_contact(self) -> SafeContact:
        """The advisor's instructions, in English."""
        times = ", ".join(TIME_CHOICES[key].label for key in self.times)
        if self.method != THEY_CALL and not times:
            # The form and the texts say 'leave these empty if any time is fine'; saying so
            # keeps the advisor from reading a missing answer as 'no time is safe'.
            times = ANY_TIME
        return SafeContact(
            self.method, self.number, times or None, self.voicemail_ok, self.safe_word
        )


def _choice(value: object, allowed: tuple[str, ...]) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise CallbackRefused(BAD_CHOICE)
    return str(value)


def clean_safe_word(raw: object) -> str | None:
    """A word or name in any alphabet (letters, spaces, apostrophes, hyphens), or None."""
    word = " ".join(str(raw or "").split())
    if not word:
        return None
    # Letters with their accents and vowel signs (category L or M, so Bengali and Urdu words
    # pass), and spaces, apostrophes, hyphens or full stops between them.
    shape = "".join("a" if unicodedata.category(ch)[0] in "LM" else ch for ch in word)
    if len(word) > MAX_SAFE_WORD or not re.fullmatch(r"a+(?:[ '’.-]+a+)*", shape):
        raise CallbackRefused(BAD_SAFE_WORD, limit=MAX_SAFE_WORD)
    return word


def check_number(raw: str, method: str | None) -> str:
    """A UK number for a call (mobile or landline) or a text (mobile), or CallbackRefused."""
    try:
        return sms.uk_mobile_e164(raw) if method == TEXT else sms.uk_phone_e164(raw)
    except sms.InvalidNumber as error:
        raise CallbackRefused(error.message_id, **error.params) from None


def check_times(values: object) -> tuple[str, ...]:
    chosen = set(values) if isinstance(values, list | tuple) else {values} - {None, ""}
    if not chosen <= set(TIME_CHOICES):
        raise CallbackRefused(BAD_CHOICE)
    times = tuple(key for key in TIME_CHOICES if key in chosen)
    return () if len(times) == len(TIME_CHOICES) else times  # every time is any time


def check_voicemail(value: object) -> bool | None:
    answer = _choice(value, (YES, NO))
    return None if answer is None else answer == YES


def check_request(
    method: object, number: object, times: object, voicemail: object, safe_word: object
) -> CallbackRequest:
    """Check the answers as given (each may be empty), or raise :class:`CallbackRefused`."""
    chosen = _choice(method, CONTACT_METHODS)
    raw_number = str(number or "").strip()
    if chosen in (CALL, TEXT) and not raw_number:
        raise CallbackRefused(NUMBER_NEEDED)
    if chosen == THEY_CALL or not raw_number:
        # The person will call us: nothing about calling them is needed, so nothing is kept.
        return CallbackRequest(THEY_CALL)
    return CallbackRequest(
        method=chosen,
        number=check_number(raw_number, chosen),
        times=check_times(times),
        voicemail_ok=None if chosen == TEXT else check_voicemail(voicemail),
        safe_word=clean_safe_word(safe_word),
    )


def build_referral(
    facts: CallbackFacts, request: CallbackRequest, source: str, consent: bool, contact: str
) -> Referral:
    """The referral to store; without consent, CallbackRefused naming ``contact`` to call."""
    if not consent:
        raise CallbackRefused(CONSENT_NEEDED, contact=contact)
    return Referral(
        source=source,
        risk_tier=facts.risk_tier,
        indicators=facts.indicators,
        needs=facts.needs,
        district=facts.district,
        audience=facts.audience,
        user_role=facts.user_role,
        language=facts.language,
        contact=request.safe_contact(),
        summary=compose_summary(facts),  # English, for the advisor
        consent_to_share=True,
    )


def _when(times: tuple[str, ...], t: Translate) -> str:
    if not times:
        return t(AS_SOON_AS)
    phrases = [t(TIME_CHOICES[key].phrase) for key in times]
    joined = (
        phrases[0] if len(phrases) == 1 else t(EITHER).format(first=phrases[0], second=phrases[1])
    )
    return t(AS_SOON_AS_AT).format(times=joined)


def confirmation(
    request: CallbackRequest, door: FrontDoor, translate: Translate = untranslated
) -> str:
    """What will happen and when, in plain words, in the person's language."""
    t = translate
    if request.method == THEY_CALL:
        parts = [t(THANKS), t(YOU_CALL).format(contact=contact_phrase(door, t))]
        if door.hours:
            parts.append(t(OPEN_HOURS).format(hours="; ".join(door.hours)) + ".")
        parts.append(t(DANGER_ANY_TIME))
        return " ".join(parts)
    sentence = {CALL: WILL_CALL, TEXT: WILL_TEXT}.get(request.method, WILL_CONTACT)
    parts = [
        t(THANKS),
        t(sentence).format(
            digits=sms.last_digits(request.number or ""), when=_when(request.times, t)
        ),
    ]
    if request.method != TEXT:
        parts.append(t(MAY_LEAVE_VOICEMAIL) if request.voicemail_ok else t(NO_VOICEMAIL))
    if request.safe_word:
        parts.append(t(SAFE_WORD_SAID).format(word=request.safe_word))
    parts += [t(SUMMARY_SHARED), t(DANGER_BEFORE)]
    return " ".join(parts)
