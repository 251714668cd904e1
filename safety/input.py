"""Bounds and clean-up for what people type, with kind words when it cannot be used."""

from __future__ import annotations

import unicodedata

MAX_MESSAGE_CHARS = 1000


class InvalidMessage(ValueError):
    """A message we cannot use; ``str(error)`` is a kind explanation for the person."""


def clean_message(raw: object) -> str:
    """Return the message ready for the bot, or raise :class:`InvalidMessage`."""
    if not isinstance(raw, str):
        raise InvalidMessage("Please type a message to send.")
    # Control and format characters carry no meaning for the bot and can hide text.
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = " ".join(text.split())
    if not text:
        raise InvalidMessage("Please type a message to send.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(
            f"That message is a little long for me. Could you send it in parts of up to "
            f"{MAX_MESSAGE_CHARS} characters? Nothing you wrote has been lost."
        )
    return text
