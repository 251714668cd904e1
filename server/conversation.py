"""The browser session's conversation with the bot."""

from __future__ import annotations

import secrets

from flask import current_app, session

from safety.replies import Reply

SESSION_KEY = "cid"


def conversation_id() -> str:
    """A random id for this browser session; nothing about the person is in it."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(18)
    return session[SESSION_KEY]


def send_to_bot(text: str) -> list[Reply] | None:
    """The bot's replies to ``text`` in this session's conversation (None: no answer)."""
    return current_app.extensions["ofd"]["rasa"].send(conversation_id(), text)
