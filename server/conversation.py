"""The browser session's conversation with the bot."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app, session

from bot.encoder import shared_encoder
from safety import danger_model
from safety.danger import DangerAssessment, assess
from safety.danger_model import DangerModel
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


def danger_in(text: str, bot_answered: bool) -> DangerAssessment:
    """The phrase rules always; and when the bot did not answer (Rasa down) the learned
    detector too, so danger told in any words and any of our languages still gets 999
    guidance first. When Rasa answers, its own danger guard has run the same detector and
    asked for the guidance already."""
    if bot_answered:
        return assess(text)
    detector = learned_detector(current_app.extensions["ofd"]["danger_detector"])
    if detector is None:
        return assess(text)
    return assess(text, shared_encoder().embed(text), detector)


@lru_cache(maxsize=2)
def learned_detector(path: Path) -> DangerModel | None:
    """The detector at ``path``, loaded once per process (None: not trained; rules only)."""
    return danger_model.load(path)
