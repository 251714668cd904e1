"""The discreet text-me-later form: POST /api/handoff (the chat widget) and /text-me (no JS).

The number goes from the form straight into the encrypted store; Rasa never sees it. The SMS
worker (server/sms_worker.py) sends the text at the chosen time and then deletes the number.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request, session
from werkzeug.datastructures import MultiDict

from safety import sms
from safety.translation import N_, KindError
from server.headers import posted_from_another_site
from server.language import translator
from server.sms import channel

bp = Blueprint("handoff", __name__)

UK_TIME = ZoneInfo("Europe/London")
MAX_PER_SESSION = 3
# Service-wide: the form must not become a way to send texts to strangers in bulk.
MAX_PER_HOUR = int(os.environ.get("OFD_HANDOFF_MAX_PER_HOUR", "100"))

CONSENT_NEEDED = N_(
    "Please tick the box to confirm it is safe for us to text this number at that time."
)
UNAVAILABLE = N_(
    "Sorry, we can't send texts right now. You can write the number down instead: {phone}. "
    "In an emergency call 999."
)
TOO_MANY = N_("We can't send any more texts from this chat. You can call {phone} instead.")
BUSY = N_("Sorry, we can't send a text just now. You can call {phone} instead.")
CROSS_SITE = N_("Please use the form on our own site to ask for a text.")
ALREADY_WAITING = N_("A text to this number is already on its way, so we won't send another.")
OPTED_OUT = N_("Sorry, we can't send texts to this number.")
EMPTY_FORM = N_("Please fill in the form to get a text.")
SOON_MOMENT = N_("in the next few minutes")
LATER_MOMENT = N_("at about {time}")
CONFIRMATION = N_(
    "Thank you. We'll send one text to the number ending {digits} {moment}. It will say: "
    "\"{text}\" It doesn't say what it is about, and we delete the number once it's sent."
)


class HandoffRefused(KindError):
    """Why a text cannot be queued: kind and safe to show, with an HTTP status."""

    def __init__(self, message_id: str, status: int = 400, **params: object) -> None:
        super().__init__(message_id, **params)
        self.status = status


def queue_text(number_raw: str, when: str, consent: bool) -> str:
    """Queue the neutral text and return the confirmation to show, or raise HandoffRefused."""
    sms_channel = channel()
    phone = sms_channel.phone
    if not sms_channel.twilio.can_send:
        raise HandoffRefused(UNAVAILABLE, 503, phone=phone)
    if posted_from_another_site():
        raise HandoffRefused(CROSS_SITE, 403)
    if not consent:
        raise HandoffRefused(CONSENT_NEEDED)
    try:
        number = sms.uk_mobile_e164(number_raw)
        send_after, latest = sms.send_window(when, datetime.now(UK_TIME))
    except (sms.InvalidNumber, sms.InvalidTime) as error:
        raise HandoffRefused(error.message_id, **error.params) from None
    if session.get("texts_queued", 0) >= MAX_PER_SESSION:
        raise HandoffRefused(TOO_MANY, 429, phone=phone)
    if sms_channel.handoffs.added_since(time.time() - 3600) >= MAX_PER_HOUR:
        raise HandoffRefused(BUSY, 429, phone=phone)
    number_key = sms.number_key(number, sms_channel.hash_key)
    if sms_channel.state.is_opted_out(number_key):
        raise HandoffRefused(OPTED_OUT)
    if sms_channel.handoffs.waiting_for(number_key):
        raise HandoffRefused(ALREADY_WAITING)
    t = translator()  # the text goes out in the language the person is using now
    body = sms.handoff_text(phone, t)
    sms_channel.handoffs.add(number, body, number_key, send_after.timestamp(), latest.timestamp())
    session["texts_queued"] = session.get("texts_queued", 0) + 1
    moment = t(SOON_MOMENT) if when == sms.SOON else t(LATER_MOMENT).format(time=when)
    return t(CONFIRMATION).format(digits=sms.last_digits(number), moment=moment, text=body)


def _form_fields(form: MultiDict | dict) -> tuple[str, str, bool]:
    when = form.get("when") or sms.SOON
    if when == "later":
        when = form.get("time") or ""
    return form.get("number") or "", when, form.get("consent") in ("yes", True, "on")


@bp.post("/api/handoff")
def api_handoff() -> tuple[dict, int]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return {"error": translator()(EMPTY_FORM)}, 400
    try:
        confirmation = queue_text(*_form_fields(data))
    except HandoffRefused as error:
        return {"error": error.explain(translator())}, error.status
    return {"messages": [{"text": confirmation, "buttons": [], "kind": "sms_handoff_done"}]}, 200


@bp.get("/text-me")
def text_me_page() -> str:
    return render_template("text_me.html", error=None, confirmation=None, form={})


@bp.post("/text-me")
def text_me_form() -> tuple[str, int]:
    try:
        confirmation = queue_text(*_form_fields(request.form))
    except HandoffRefused as error:
        # What they typed goes back into the form: nothing is lost.
        page = render_template("text_me.html", error=error.explain(translator()), confirmation=None,
                               form=request.form)  # fmt: skip
        return page, error.status
    return render_template("text_me.html", error=None, confirmation=confirmation, form={}), 200
