"""The chat page (works without JavaScript) and the JSON chat API the page's script uses."""

from __future__ import annotations

import secrets
from dataclasses import asdict

from flask import Blueprint, current_app, render_template, request, session

from safety.danger import assess
from safety.input import InvalidMessage, clean_message
from safety.replies import Reply, guard_reply

bp = Blueprint("chat", __name__)


def _conversation_id() -> str:
    """A random id for this browser session; nothing about the person is in it."""
    if "cid" not in session:
        session["cid"] = secrets.token_urlsafe(18)
    return session["cid"]


def converse(text: str) -> list[Reply]:
    """Send ``text`` to the bot and return the guarded reply."""
    ofd = current_app.extensions["ofd"]
    bot_replies = ofd["rasa"].send(_conversation_id(), text)
    return guard_reply(assess(text), bot_replies, ofd["helpline"])


@bp.get("/")
def index() -> str:
    return render_template("chat.html", replies=[], sent=None, error=None, draft="")


@bp.post("/chat")
def chat_form() -> tuple[str, int]:
    raw = request.form.get("message")
    try:
        text = clean_message(raw)
    except InvalidMessage as error:
        # The person's words go back into the box: nothing they typed is lost.
        page = render_template(
            "chat.html", replies=[], sent=None, error=str(error), draft=raw or ""
        )
        return page, 400
    page = render_template("chat.html", replies=converse(text), sent=text, error=None, draft="")
    return page, 200


@bp.post("/api/chat")
def api_chat() -> tuple[dict, int]:
    data = request.get_json(silent=True)
    try:
        text = clean_message(data.get("message") if isinstance(data, dict) else None)
    except InvalidMessage as error:
        return {"error": str(error)}, 400
    replies = converse(text)
    return {"messages": [asdict(r) for r in replies]}, 200
