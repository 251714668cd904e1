"""The Twilio inbound webhook: signatures made with the real twilio RequestValidator."""

from __future__ import annotations

import logging
import sqlite3
from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from safety.replies import Reply

TOKEN = "test-auth-token-0123456789abcdef"
NUMBER = "+447700900123"
URL = "http://localhost/sms/inbound"


@pytest.fixture(autouse=True)
def twilio_env(monkeypatch):
    monkeypatch.setenv("OFD_TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.delenv("OFD_PUBLIC_URL", raising=False)


def inbound(client, body: str, sid: str = "SM0001", token: str = TOKEN, url: str = URL, **kw):
    params = {"MessageSid": sid, "From": NUMBER, "To": "+447700900999", "Body": body}
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature}, **kw)


def texts(response) -> list[str]:
    assert response.mimetype == "application/xml"
    return [m.text for m in ElementTree.fromstring(response.data).iter("Message")]


def seen_sids(app) -> int:
    db = app.extensions["ofd_sms"].state.path
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM seen_messages").fetchone()[0]


def test_a_signed_message_reaches_the_bot_and_gets_twiml(client, stand_in_rasa):
    response = inbound(client, "hello")
    assert response.status_code == 200
    assert texts(response) == ["Hello from the stand-in."]
    [(sender, text)] = stand_in_rasa.sent
    assert text == "hello"
    assert sender.startswith("sms-") and "7700900123" not in sender


def test_the_same_number_keeps_one_conversation(client, stand_in_rasa):
    inbound(client, "one", sid="SM1")
    inbound(client, "two", sid="SM2")
    assert len({sender for sender, _ in stand_in_rasa.sent}) == 1


def test_unsigned_or_forged_requests_get_403_and_change_nothing(app, client, stand_in_rasa):
    params = {"MessageSid": "SM9", "From": NUMBER, "Body": "hello"}
    assert client.post("/sms/inbound", data=params).status_code == 403
    forged = inbound(client, "hello", sid="SM9", token="not-the-real-token")
    assert forged.status_code == 403
    wrong_url = inbound(client, "hello", sid="SM9", url="http://localhost/other")
    assert wrong_url.status_code == 403
    # A signature for other words does not cover these words.
    signature = RequestValidator(TOKEN).compute_signature(URL, {**params, "Body": "hi"})
    tampered = client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature})
    assert tampered.status_code == 403
    assert stand_in_rasa.sent == [] and seen_sids(app) == 0
    # ...and the real message with that MessageSid is still handled afterwards.
    assert texts(inbound(client, "hello", sid="SM9")) == ["Hello from the stand-in."]


def test_a_retried_message_sid_is_ignored(client, stand_in_rasa):
    assert texts(inbound(client, "hello", sid="SM42")) == ["Hello from the stand-in."]
    retry = inbound(client, "hello", sid="SM42")
    assert retry.status_code == 200 and texts(retry) == []
    assert len(stand_in_rasa.sent) == 1


def test_signature_is_checked_against_the_public_url_behind_a_proxy(
    monkeypatch, tmp_path, seeded_directory, stand_in_rasa
):
    from server import create_app
    from tests.conftest import settings_for_tests

    monkeypatch.setenv("OFD_PUBLIC_URL", "https://chat.example.org/")
    settings = settings_for_tests(tmp_path)
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    client = create_app(settings, rasa=stand_in_rasa).test_client()
    public = "https://chat.example.org/sms/inbound"
    assert inbound(client, "hello", url=URL).status_code == 403  # what the proxy forwarded
    assert texts(inbound(client, "hello", url=public)) == ["Hello from the stand-in."]


def test_danger_guidance_comes_first_by_text_too(client, stand_in_rasa):
    stand_in_rasa.replies = [Reply("What's happening?")]
    messages = texts(inbound(client, "he has a knife and is trying to get in"))
    assert messages[0].startswith("If you are in danger now, call 999")
    assert "press 55" in messages[0] and "What's happening?" in messages[-1]


def test_rasa_down_still_answers_with_a_number(client, stand_in_rasa):
    stand_in_rasa.replies = None
    [message] = texts(inbound(client, "hello"))
    assert "08 088 088 088" in message


def test_buttons_become_numbered_choices_and_a_number_picks_one(client, stand_in_rasa):
    stand_in_rasa.replies = [
        Reply(
            "What's happening for you?",
            buttons=(
                {"title": "I'm worried", "payload": "/seek_support"},
                {"title": "I'm in danger now", "payload": "/immediate_danger"},
            ),
        )
    ]
    [message] = texts(inbound(client, "hi", sid="SM1"))
    assert message.endswith("Reply 1 for I'm worried, 2 for I'm in danger now.")
    inbound(client, "2", sid="SM2")
    assert stand_in_rasa.sent[-1][1] == "/immediate_danger"


def test_web_only_widgets_are_left_out_of_texts(client, stand_in_rasa):
    stand_in_rasa.replies = [Reply("I can text you later."), Reply(kind="sms_handoff")]
    assert texts(inbound(client, "text me")) == ["I can text you later."]


def test_help_explains_the_keywords_and_gives_a_number(client, stand_in_rasa):
    [message] = texts(inbound(client, "HELP"))
    assert "EXIT" in message and "STOP" in message and "999" in message
    assert "08 088 088 088" in message
    assert stand_in_rasa.sent == []


def test_exit_clears_the_conversation(client, stand_in_rasa):
    inbound(client, "hello", sid="SM1")
    [message] = texts(inbound(client, "exit", sid="SM2"))
    assert "cleared" in message
    conversation = stand_in_rasa.sent[0][0]
    assert stand_in_rasa.sent[-1] == (conversation, "/restart")


def test_stop_opts_out_and_start_opts_back_in(app, client, stand_in_rasa):
    from safety.sms import number_key

    sms_channel = app.extensions["ofd_sms"]
    key = number_key(NUMBER, sms_channel.hash_key)
    [message] = texts(inbound(client, "Stop", sid="SM1"))
    assert "won't get any more texts" in message
    assert sms_channel.state.is_opted_out(key)
    assert stand_in_rasa.sent[-1][1] == "/restart"
    texts(inbound(client, "START", sid="SM2"))
    assert not sms_channel.state.is_opted_out(key)


def test_a_very_long_reply_is_split_within_twilio_limits(client, stand_in_rasa):
    from safety.sms import MAX_SEGMENTS, segments

    stand_in_rasa.replies = [Reply("This sentence is here to make the reply long. " * 40)]
    messages = texts(inbound(client, "hello"))
    assert len(messages) > 1
    assert all(segments(m) <= MAX_SEGMENTS for m in messages)


def test_an_empty_text_gets_a_kind_answer(client, stand_in_rasa):
    [message] = texts(inbound(client, "   "))
    assert "Please type a message" in message and stand_in_rasa.sent == []


def test_the_sms_channel_is_off_without_a_twilio_token(monkeypatch, tmp_path, seeded_directory):
    from server import create_app
    from tests.conftest import StandInRasa, settings_for_tests

    monkeypatch.delenv("OFD_TWILIO_AUTH_TOKEN")
    settings = settings_for_tests(tmp_path)
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    client = create_app(settings, rasa=StandInRasa()).test_client()
    assert inbound(client, "hello").status_code == 404


def test_numbers_and_words_never_reach_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    inbound(client, "my secret words", sid="SM1")
    inbound(client, "STOP", sid="SM2")
    client.post("/sms/inbound", data={"From": NUMBER, "Body": "forged words"})
    logged = caplog.text
    assert "7700900123" not in logged and "secret" not in logged and "forged" not in logged
    assert "bad or missing signature" in logged
