"""The callback request by text: the same questions one at a time through the signed Twilio
webhook, the sender's number offered as the safe number, nothing of it sent to Rasa."""

from __future__ import annotations

import logging
import sqlite3

from bot.referrals.record import CALL, SMS_CHAT, TEXT
from safety.replies import Reply
from tests.test_callback_web import FACTS, referrals, stored_files
from tests.test_sms_webhook import NUMBER, inbound, texts, twilio_env  # noqa: F401 - fixture

OFFER = [Reply("Someone from the team can get in touch."), Reply(kind="callback", data=FACTS)]


class Conversation:
    """One person texting: each message gets a fresh MessageSid."""

    def __init__(self, client) -> None:
        self.client = client
        self.sent = 0

    def __call__(self, body: str) -> str:
        self.sent += 1
        return "\n".join(texts(inbound(self.client, body, sid=f"SM{self.sent:04d}")))


def test_by_text_every_step_then_the_referral(app, client, stand_in_rasa, caplog):
    caplog.set_level(logging.DEBUG)
    say = Conversation(client)
    stand_in_rasa.replies = OFFER
    first = say("can someone call me")
    assert first.startswith("Someone from the team can get in touch.")
    assert "Reply 1 for Call me, 2 for Text me, 3 for I'll call you, 4 for Not now." in first
    assert "number you are texting from" in say("1")
    assert "When is it safe" in say("YES")
    assert "voicemail" in say("3")
    assert "safe word" in say("no")
    consent = say("Sam")
    assert "Area: Dacorum" in consent and "Reply YES if you agree" in consent
    done = say("yes")
    assert "will call you on the number ending 123" in done
    assert "in the evening (5pm to 8pm)" in done and "won't leave a voicemail" in done
    [referral] = referrals(app)
    assert referral.source == SMS_CHAT and referral.contact.method == CALL
    assert referral.contact.number == NUMBER and referral.contact.safe_word == "Sam"
    assert referral.risk_tier == "high" and referral.district == "Dacorum"
    # Rasa saw the request only; not one answer, and never the number.
    assert [text for _, text in stand_in_rasa.sent] == ["can someone call me"]
    raw = stored_files(app)
    assert b"7700900123" not in raw and b"Sam" not in raw
    assert "7700" not in caplog.text and "Sam" not in caplog.text
    # The steps are over: the next message goes to the bot again.
    stand_in_rasa.replies = [Reply("Anything else?")]
    assert say("thanks") == "Anything else?"


def test_another_number_for_a_text(app, client, stand_in_rasa):
    say = Conversation(client)
    stand_in_rasa.replies = OFFER
    say("call me back")
    say("2")
    assert "send a number" in say("NO")
    assert "UK mobile" in say("020 7946 0123")
    say("07700 900456")
    say("SKIP")
    say("skip")
    say("yes")
    [referral] = referrals(app)
    assert referral.contact.method == TEXT and referral.contact.number == "+447700900456"


def test_not_now_and_no_consent_keep_nothing(app, client, stand_in_rasa):
    say = Conversation(client)
    stand_in_rasa.replies = OFFER
    say("call me")
    assert "any time" in say("4")
    say("call me")
    say("3")
    assert "haven't passed anything on" in say("no")
    assert referrals(app) == []
    with sqlite3.connect(app.extensions["ofd_callback"].drafts.path) as db:
        assert db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_danger_guidance_still_comes_first_during_the_steps(client, stand_in_rasa):
    say = Conversation(client)
    stand_in_rasa.replies = OFFER
    say("call me")
    reply = say("he's here with a knife")
    assert reply.startswith("If you are in danger now, call 999")
    assert "didn't understand" in reply  # and the question is asked again


def test_stop_and_exit_drop_the_unfinished_request(app, client, stand_in_rasa):
    say = Conversation(client)
    stand_in_rasa.replies = OFFER
    say("call me")
    say("1")
    say("EXIT")
    assert app.extensions["ofd_callback"].drafts.get(stand_in_rasa.sent[0][0]) is None
    stand_in_rasa.replies = [Reply("Hello again.")]
    assert say("YES") == "Hello again."  # no longer an answer to a question


def test_a_long_reply_gives_up_room_so_the_offer_and_question_arrive_whole(client, stand_in_rasa):
    services = " ".join(f"Service {n} can help you, call 0800 000 00{n:02d}." for n in range(60))
    stand_in_rasa.replies = [Reply(kind="emergency"), Reply(services), *OFFER]
    messages = texts(inbound(client, "he has a knife, I need help", sid="SM0100"))
    assert len(messages) == 5
    assert messages[0].startswith("If you are in danger now, call 999")  # danger first
    assert messages[-1].startswith("Someone from the team can get in touch.")
    assert messages[-1].endswith("Reply SKIP to skip.")  # the whole question, last
    before = " ".join(messages[:-1])
    assert "Service 0 can help you" in before and "Service 59" not in before  # the end gives way
