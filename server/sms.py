"""The SMS channel: Twilio's inbound-message webhook (POST /sms/inbound), answered with TwiML.

Only requests signed by Twilio are processed. The sender's number is turned into a keyed hash
at once; it is never stored, logged or given to Rasa. Replies pass through the same safety
guard as the web chat, so danger guidance always comes first.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.contact import contact_phrase, front_door_phone
from bot.i18n import take_language_choice, translate
from bot.referrals import sms_steps
from bot.referrals.callback import CallbackRefused
from bot.referrals.contact_settings import contact_env
from bot.referrals.facts import CALLBACK, facts_from_payload
from safety import sms
from safety.danger import assess
from safety.handoff_store import HandoffStore
from safety.input import InvalidMessage, clean_message
from safety.replies import Reply, guard_reply
from safety.sms_state import SmsState
from safety.translation import Translate
from server import callback, keys
from server.conversation import danger_in
from server.twilio_gateway import TwilioSettings, twilio_settings

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__)

RESTART = "/restart"  # Rasa's built-in intent: the conversation starts afresh


@dataclass
class SmsChannel:
    """What the SMS webhook and the text-me-later form share."""

    twilio: TwilioSettings
    hash_key: bytes
    state: SmsState
    handoffs: HandoffStore
    phone: str  # the number to give in texts, without a name that would say too much


def open_channel(
    instance_dir: Path, directory_db: Path, env: Mapping[str, str] = os.environ
) -> SmsChannel:
    return SmsChannel(
        twilio=twilio_settings(env),
        hash_key=keys.hash_key(instance_dir, env),
        state=SmsState(instance_dir / "sms.sqlite"),
        handoffs=HandoffStore(instance_dir / "handoff.sqlite", keys.fernet(instance_dir, env)),
        phone=front_door_phone(directory_db, env),
    )


def channel() -> SmsChannel:
    return current_app.extensions["ofd_sms"]


def forget_conversation(conversation: str) -> None:
    """Start the conversation afresh in Rasa, so nothing said so far shapes what comes next,
    and drop any callback offer still waiting for answers."""
    current_app.extensions["ofd"]["rasa"].send(conversation, RESTART)
    callback.channel().drafts.drop(conversation)


def _signed_url() -> str:
    """The URL Twilio called, as it signed it (the public one when behind a proxy)."""
    public = channel().twilio.public_url
    if not public:
        return request.url
    query = request.query_string.decode()
    return public.rstrip("/") + request.path + (f"?{query}" if query else "")


def _twiml(texts: list[str], question: list[str] | None = None) -> Response:
    """TwiML for the replies. A question the person is to answer (the callback's) is sent
    whole and last: the replies before it give up room for it (their end, never their start)."""
    asked = sms.fit_messages(question or [])
    response = MessagingResponse()
    for text in sms.fit_messages(texts, sms.MAX_MESSAGES - len(asked)) + asked:
        response.message(text)
    return Response(str(response), mimetype="application/xml")


def _keyword_reply(word: sms.Keyword, conversation: str, number_key: str) -> str:
    state = channel().state
    reply = sms.keyword_text(word, channel().phone, _translator(conversation))
    if word is sms.Keyword.START:
        state.set_opted_out(number_key, False)
    elif word in (sms.Keyword.STOP, sms.Keyword.EXIT):
        forget_conversation(conversation)
        state.set_menu(conversation, [])
        if word is sms.Keyword.STOP:
            state.set_opted_out(number_key, True)
    return reply


def _translator(conversation: str) -> Translate:
    """Translate into the language chosen in this SMS conversation (English until one is)."""
    code = channel().state.language(conversation)
    return lambda text: translate(text, code)


def _bot_reply(conversation: str, text: str) -> tuple[list[str], list[str]]:
    """The bot's replies as texts, and the callback offer with its first question, if any."""
    ofd = current_app.extensions["ofd"]
    state = channel().state
    # '2' after a list of choices means the second choice.
    message = state.choice(conversation, text) or text
    bot_replies = ofd["rasa"].send(conversation, message)
    if bot_replies is not None:
        bot_replies, chosen = take_language_choice(bot_replies)
        if chosen:
            state.set_language(conversation, chosen)
    t = _translator(conversation)
    danger = danger_in(text, bot_answered=bot_replies is not None)
    replies = guard_reply(danger, bot_replies, contact_phrase(ofd["front_door"], t), t)
    texts, payloads, question = [], [], []
    previous = None
    for reply in replies:
        if reply.kind == CALLBACK:
            # The offer of contact: its questions come one at a time, answered here (the
            # answers, a number among them, never go to the bot). The offer's words come
            # just before the marker (data/rules/callback.yml) and go with the question.
            turn = sms_steps.start(facts_from_payload(reply.data), t)
            callback.channel().drafts.put(conversation, turn.draft)
            offer = previous is not None and previous.kind is None and not previous.buttons
            question = texts[-1:] + turn.texts if offer and texts else turn.texts
            texts = texts[:-1] if offer and texts else texts
            continue
        previous = reply
        if not reply.text:
            continue  # web-only widgets have no text form
        if reply.buttons:
            payloads = [b["payload"] for b in reply.buttons]
            titles = [b["title"] for b in reply.buttons]
            texts.append(f"{reply.text}\n{sms.numbered_choices(titles, t)}")
        else:
            texts.append(reply.text)
    state.set_menu(conversation, payloads)
    return texts, question


def _callback_reply(conversation: str, draft: dict, text: str, number: str) -> list[str]:
    """The next callback question (or the end of them) for this reply, safety first."""
    door = current_app.extensions["ofd"]["front_door"]
    t = _translator(conversation)
    contact = contact_phrase(door, t)
    turn = sms_steps.answer(draft, text, number, door, t)
    texts = turn.texts
    if turn.referral is not None:
        try:
            callback.store_referral(turn.referral, conversation, contact)
        except CallbackRefused as error:
            texts = [error.explain(t)]
    if turn.draft is None:
        callback.channel().drafts.drop(conversation)
    else:
        callback.channel().drafts.put(conversation, turn.draft)
    # Answers to the contact questions (a number, a time, yes or no, a safe word) are checked
    # by the phrase rules; loading the learned detector for them would cost the web server
    # about 120 MB (docs/deployment.md). Anything else typed goes to the bot and its guard.
    replies = guard_reply(assess(text), [Reply(x) for x in texts], contact, t)
    return [reply.text for reply in replies]


@bp.post("/sms/inbound")
def inbound() -> Response:
    sms_channel = channel()
    if not sms_channel.twilio.can_receive:
        abort(404)  # the SMS channel is not configured
    validator = RequestValidator(sms_channel.twilio.auth_token)
    signature = request.headers.get("X-Twilio-Signature", "")
    if not validator.validate(_signed_url(), request.form.to_dict(), signature):
        log.warning("Refused an SMS webhook call with a bad or missing signature")
        abort(403)
    message_sid, number = request.form.get("MessageSid"), request.form.get("From")
    if not message_sid or not number:
        abort(400)
    if not sms_channel.state.first_delivery(message_sid):
        return _twiml([])  # Twilio retried a message we already answered
    number_key = sms.number_key(number, sms_channel.hash_key)
    conversation = sms.conversation_id(number, sms_channel.hash_key)
    body = request.form.get("Body", "")
    word = sms.keyword(body)
    if word:
        log.info("SMS keyword %s", word.value)
        return _twiml([_keyword_reply(word, conversation, number_key)])
    try:
        text = clean_message(body)
    except InvalidMessage as error:
        return _twiml([str(error)])
    draft = callback.channel().drafts.get(conversation)
    if draft is not None and sms_steps.STEP in draft:
        return _twiml(_callback_reply(conversation, draft, text, number))
    return _twiml(*_bot_reply(conversation, text))


def init_app(app: Flask) -> None:
    ofd = app.extensions["ofd"]
    settings = ofd["settings"]
    app.extensions["ofd_sms"] = open_channel(
        settings.instance_dir,
        settings.directory_db,
        contact_env(os.environ, settings.referrals_db),
    )
    app.register_blueprint(bp)
