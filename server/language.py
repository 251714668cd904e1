"""The person's language on the web: chosen on any page or in the chat, kept in the session
only, and applied to pages, the chat widget's strings and the safety messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, redirect, request, session, url_for

from bot.i18n import (
    LANGUAGES,
    Language,
    catalog,
    language_or_default,
    take_language_choice,
    translate,
)
from safety.replies import Reply
from server.conversation import send_to_bot

bp = Blueprint("language", __name__)

SESSION_KEY = "lang"


def current_language() -> Language:
    return LANGUAGES[language_or_default(session.get(SESSION_KEY))]


def translator() -> Callable[[str], str]:
    """Translate English message ids into this session's language."""
    code = current_language().code
    return lambda text: translate(text, code)


def choose_payload(code: str) -> str:
    """The message that sets the bot's ``language`` slot, as choosing in words would."""
    return "/choose_language" + json.dumps({"language": code})


def _local_path(target: str | None) -> str:
    """Only a path on this site: a 'next' pointing elsewhere would make an open redirect."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return url_for("chat.index")
    return parts.path


@bp.post("/language")
def choose() -> Response:
    code = request.form.get("language")
    if code in LANGUAGES:
        session[SESSION_KEY] = code
        send_to_bot(choose_payload(code))  # the bot answers in it from now on
    return redirect(_local_path(request.form.get("next")), code=303)


def apply_language_markers(replies: list[Reply]) -> list[Reply]:
    """Follow a language the person chose in the chat; the markers themselves are not shown."""
    shown, chosen = take_language_choice(replies)
    if chosen:
        session[SESSION_KEY] = chosen
    return shown


def _gettext(message: str) -> str:
    return translate(message, current_language().code)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(current_language().code).ngettext(singular, plural, n)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    app.context_processor(
        lambda: {"language": current_language(), "languages": list(LANGUAGES.values())}
    )
    app.register_blueprint(bp)
