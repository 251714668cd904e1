"""Bounds and clean-up for what people type, with kind words when it cannot be used."""

from __future__ import annotations

import unicodedata

from safety.translation import N_, KindError

MAX_MESSAGE_CHARS = 1000
EMPTY = N_("Please type a message to send.")
TOO_LONG = N_(
    "That message is a little long for me. Could you send it in parts of up to {limit} "
    "characters? Nothing you wrote has been lost."
)


class InvalidMessage(KindError):
    """A message we cannot use."""


def clean_message(raw: object) -> str:
    """Return the message ready for the bot, or raise :class:`InvalidMessage`."""
    if not isinstance(raw, str):
        raise InvalidMessage(EMPTY)
    # Control and format characters carry no meaning for the bot and can hide text.
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = " ".join(text.split())
    if not text:
        raise InvalidMessage(EMPTY)
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(TOO_LONG, limit=MAX_MESSAGE_CHARS)
    return text
