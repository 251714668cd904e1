"""Whether, and what, an advisor may text a person who asked for help.

A text goes only where the person said a text is safe (method 'text' with a UK mobile), at a
time the advisor confirms is within the safe times they gave, and only in neutral words: the
same give-away check as the text-me-later message (:func:`safety.sms.giveaways`), since
someone else may read the phone. The words must fit the SMS limits used everywhere else.
"""

from __future__ import annotations

from bot.referrals.record import CALL, TEXT, THEY_CALL, SafeContact
from safety import sms

MAX_LENGTH = 459  # three GSM-7 segments: the limit safety.sms.fits() allows


class ReplyRefused(ValueError):
    """Why no text can be sent (the message is for staff)."""


WHY_NOT = {
    None: "They did not say that a text is safe, so none can be sent from here.",
    CALL: "They asked to be called, not texted.",
    THEY_CALL: "They said they will contact us: do not call or text them.",
}


def textable_number(contact: SafeContact) -> str:
    """The person's number as +447..., when they said a text is safe; else ReplyRefused."""
    if contact.method != TEXT:
        raise ReplyRefused(WHY_NOT.get(contact.method, WHY_NOT[None]))
    if not contact.number:
        raise ReplyRefused("They did not give a number.")
    try:
        return sms.uk_mobile_e164(contact.number)
    except sms.InvalidNumber:
        raise ReplyRefused("Their number is not a UK mobile, so it cannot take a text.") from None


def check_words(message: str) -> str:
    """The words to send (typography made plain), or ReplyRefused saying what to change."""
    text = sms.plain_text(" ".join((message or "").split()))
    if not text:
        raise ReplyRefused("Write the words of the text.")
    found = sms.giveaways(text)
    if found:
        raise ReplyRefused(
            "The text must not say what it is about: take out " + ", ".join(f"'{w}'" for w in found)
        )
    if not sms.fits(text):
        raise ReplyRefused("That is too long for one text: shorten it, please.")
    return text
