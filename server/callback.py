"""Contact from the One Front Door team: the callback form (POST /api/callback from the chat
widget, /call-me without JavaScript), and the offer's triage facts, kept on the server.

The dialogue only offers the callback. Its marker carries the triage facts, which are kept
here encrypted (never in the cookie) and shown to the person as a summary; the contact details
go from the form straight to the encrypted referral store. Rasa never sees a phone number.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from bot.contact import FrontDoor, contact_phrase
from bot.i18n import DEFAULT_LANGUAGE
from bot.referrals.callback import (
    OPEN_HOURS,
    TIME_CHOICES,
    CallbackRefused,
    build_referral,
    check_request,
    confirmation,
)
from bot.referrals.drafts import CallbackDrafts
from bot.referrals.facts import CALLBACK, CALLBACK_DONE, CallbackFacts, facts_from_payload
from bot.referrals.record import WEB_CHAT, Referral
from bot.referrals.store import ReferralStore
from bot.referrals.summary import summary_lines
from safety.replies import Reply
from safety.translation import N_, Translate
from server import keys
from server.conversation import conversation_id
from server.headers import posted_from_another_site
from server.language import current_language, translator

bp = Blueprint("callback", __name__)

DRAFTS_FILE = "callback_drafts.sqlite"
MAX_PER_CONVERSATION = 2  # a day: a second try (a new number, say) but not a stream
# Service-wide: the form must not become a way to fill the team's queue.
MAX_PER_HOUR = int(os.environ.get("OFD_CALLBACK_MAX_PER_HOUR", "100"))

CROSS_SITE = N_("Please use the form on our own site to ask us to contact you.")
TOO_MANY = N_(
    "You've already asked us to contact you, so we won't take another request just now. If "
    "you need to talk now, you can call {contact}."
)
BUSY = N_("Sorry, we can't take a request just now. You can call {contact} instead.")
NOT_STORED = N_("Sorry, we couldn't pass this on just now. Please try again, or call {contact}.")
EMPTY_FORM = N_("Please fill in the form to ask us to contact you.")
YOU_CAN_CALL = N_("If you'd rather call yourself: {contact}.")


@dataclass
class CallbackChannel:
    drafts: CallbackDrafts
    referrals: ReferralStore


def channel() -> CallbackChannel:
    return current_app.extensions["ofd_callback"]


def front_door() -> FrontDoor:
    return current_app.extensions["ofd"]["front_door"]


def keep_offer(replies: list[Reply], conversation: str, translate: Translate) -> list[Reply]:
    """Keep the facts of a callback offer among ``replies`` for this conversation; the offer
    shown instead carries only the summary, in the person's language, one line each."""
    shown = []
    for reply in replies:
        if reply.kind == CALLBACK:
            facts = facts_from_payload(reply.data)
            channel().drafts.put(conversation, {"facts": facts.to_payload()})
            reply = Reply("\n".join(summary_lines(facts, translate)), kind=CALLBACK)
        shown.append(reply)
    return shown


def offered_facts(conversation: str, language: str = DEFAULT_LANGUAGE) -> CallbackFacts:
    """The facts of the offer made in this conversation (none: only the language)."""
    draft = channel().drafts.get(conversation)
    if draft is None:
        return CallbackFacts(language=language)
    return facts_from_payload(draft.get("facts"))


def store_referral(
    referral: Referral,
    conversation: str,
    contact: str,
    per_day: int = MAX_PER_CONVERSATION,
    too_many: str = TOO_MANY,
) -> int:
    """Store a referral within the limits, or raise CallbackRefused (nothing stored).

    ``conversation`` is what the per-day limit counts by (a chat, or a browser session).
    """
    drafts = channel().drafts
    now = time.time()
    if drafts.requests_since(now - 24 * 3600, conversation) >= per_day:
        raise CallbackRefused(too_many, 429, contact=contact)
    if drafts.requests_since(now - 3600) >= MAX_PER_HOUR:
        raise CallbackRefused(BUSY, 429, contact=contact)
    try:
        referral_id = channel().referrals.add(referral, now)
    except sqlite3.Error:
        raise CallbackRefused(NOT_STORED, 503, contact=contact) from None
    drafts.note_request(conversation, now)
    drafts.drop(conversation)  # the facts now live in the referral only
    return referral_id


def door_hint(translate: Translate) -> str:
    """The number to call, and its hours when known, for 'I'll call you'."""
    door = front_door()
    hint = translate(YOU_CAN_CALL).format(contact=contact_phrase(door, translate))
    if door.hours:
        hint += " " + translate(OPEN_HOURS).format(hours="; ".join(door.hours))
    return hint


def _form_values(form: MultiDict | dict) -> dict:
    """The answers as typed or chosen, to check and (on an error) to show again."""
    if isinstance(form, MultiDict):
        times = form.getlist("times")
    else:
        times = form.get("times") if isinstance(form.get("times"), list) else []
    return {
        "method": form.get("method") or "",
        "number": str(form.get("number") or ""),
        "times": [str(t) for t in times],
        "voicemail": form.get("voicemail") or "",
        "safe_word": str(form.get("safe_word") or ""),
        "consent": form.get("consent") in ("yes", True, "on"),
    }


def request_callback(values: dict) -> str:
    """Check and store the request; the confirmation to show, or CallbackRefused."""
    t = translator()
    door = front_door()
    contact = contact_phrase(door, t)
    if posted_from_another_site():
        raise CallbackRefused(CROSS_SITE, 403)
    answers = check_request(
        values["method"], values["number"], values["times"], values["voicemail"],
        values["safe_word"],
    )  # fmt: skip
    conversation = conversation_id()
    facts = offered_facts(conversation, current_language().code)
    referral = build_referral(facts, answers, WEB_CHAT, values["consent"], contact)
    store_referral(referral, conversation, contact)
    return confirmation(answers, door, t)


def _page(values: dict, error: str | None = None, done: str | None = None) -> str:
    t = translator()
    facts = offered_facts(conversation_id(), current_language().code)
    return render_template(
        "call_me.html",
        form=values,
        error=error,
        confirmation=done,
        summary=summary_lines(facts, t),
    )


@bp.post("/api/callback")
def api_callback() -> tuple[dict, int]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return {"error": translator()(EMPTY_FORM)}, 400
    try:
        done = request_callback(_form_values(data))
    except CallbackRefused as error:
        return {"error": error.explain(translator())}, error.status
    return {"messages": [{"text": done, "buttons": [], "kind": CALLBACK_DONE}]}, 200


@bp.get("/call-me")
def call_me_page() -> str:
    return _page(_form_values({}))


@bp.post("/call-me")
def call_me_form() -> tuple[str, int]:
    values = _form_values(request.form)
    try:
        done = request_callback(values)
    except CallbackRefused as error:
        # What they typed and chose goes back into the form: nothing is lost.
        return _page(values, error=error.explain(translator())), error.status
    return _page(_form_values({}), done=done), 200


def init_app(app: Flask) -> None:
    settings = app.extensions["ofd"]["settings"]
    fernet = keys.fernet(settings.instance_dir)
    app.extensions["ofd_callback"] = CallbackChannel(
        drafts=CallbackDrafts(settings.instance_dir / DRAFTS_FILE, fernet),
        referrals=ReferralStore(settings.referrals_db, fernet, settings.referral_retention_days),
    )
    app.jinja_env.globals["callback_time_choices"] = TIME_CHOICES
    app.context_processor(lambda: {"callback_hint": lambda: door_hint(translator())})
    app.register_blueprint(bp)
