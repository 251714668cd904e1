"""The chat page (works without JavaScript) and the JSON chat API the page's script uses."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, render_template, request

from bot.contact import contact_phrase
from safety.input import InvalidMessage, clean_message
from safety.replies import Reply, guard_reply
from server.callback import keep_offer
from server.conversation import conversation_id, danger_in, send_to_bot
from server.language import apply_language_markers, current_language, translator

bp = Blueprint("chat", __name__)


def converse(text: str) -> list[Reply]:
    """Send ``text`` to the bot and return the guarded reply, in the person's language."""
    bot_replies = send_to_bot(text)
    if bot_replies is not None:
        bot_replies = apply_language_markers(bot_replies)
    translate = translator()
    helpline = contact_phrase(current_app.extensions["ofd"]["front_door"], translate)
    danger = danger_in(text, bot_answered=bot_replies is not None)
    replies = guard_reply(danger, bot_replies, helpline, translate)
    # A callback offer's facts stay on the server; the page gets the summary to show.
    return keep_offer(replies, conversation_id(), translate)


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
            "chat.html", replies=[], sent=None, error=error.explain(translator()), draft=raw or ""
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
        return {"error": error.explain(translator())}, 400
    replies = converse(text)
    language = current_language()
    return {
        "messages": [{k: v for k, v in asdict(r).items() if k != "data"} for r in replies],
        "language": {"code": language.code, "direction": language.direction},
    }, 200
