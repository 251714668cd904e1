"""The text-me-later form: consent, validation, encrypted storage, no number in Rasa."""

from __future__ import annotations

import logging

import pytest

from safety.handoff_store import PENDING
from safety.sms import giveaways

NUMBER = "+447700900123"


@pytest.fixture(autouse=True)
def twilio_env(monkeypatch):
    monkeypatch.setenv("OFD_TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("OFD_TWILIO_AUTH_TOKEN", "test-auth-token")
    monkeypatch.setenv("OFD_TWILIO_FROM", "+447700900999")


def ask(client, number="07700 900123", when="soon", time="", consent=True):
    return client.post(
        "/api/handoff", json={"number": number, "when": when, "time": time, "consent": consent}
    )


def stored(app) -> bytes:
    path = app.extensions["ofd_sms"].handoffs.path
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_a_text_is_queued_encrypted_and_confirmed(app, client, stand_in_rasa):
    response = ask(client)
    assert response.status_code == 200
    [message] = response.json["messages"]
    assert message["kind"] == "sms_handoff_done"
    assert "ending 123" in message["text"] and "7700 900123" not in message["text"]
    assert "in the next few minutes" in message["text"]
    assert app.extensions["ofd_sms"].handoffs.state(1) == PENDING
    raw = stored(app)
    assert b"7700900123" not in raw and b"reminder" not in raw
    assert stand_in_rasa.sent == []  # the bot never sees the number


def test_the_confirmation_shows_the_neutral_words_that_will_be_sent(client):
    text = ask(client, when="later", time="19:30").json["messages"][0]["text"]
    assert "at about 19:30" in text
    sent_words = text.split('"')[1]
    assert giveaways(sent_words) == [] and "08 088 088 088" in sent_words


def test_consent_is_needed(client):
    response = ask(client, consent=False)
    assert response.status_code == 400 and "safe for us to text" in response.json["error"]


@pytest.mark.parametrize(
    "fields, says",
    [({"number": "01707 123456"}, "UK mobile"), ({"when": "later", "time": ""}, "choose a time"),
     ({"when": "later", "time": "25:00"}, "choose a time")],
)  # fmt: skip
def test_bad_input_gets_a_kind_message_and_queues_nothing(app, client, fields, says):
    response = ask(client, **fields)
    assert response.status_code == 400 and says in response.json["error"]
    assert app.extensions["ofd_sms"].handoffs.waiting_for("anything") == 0
    assert app.extensions["ofd_sms"].handoffs.state(1) is None


def test_not_json_is_refused_kindly(client):
    response = client.post("/api/handoff", data="x", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]


def test_one_waiting_text_per_number(client):
    assert ask(client).status_code == 200
    second = ask(client, number="+44 7700 900123")
    assert second.status_code == 400 and "already on its way" in second.json["error"]


def test_one_browser_can_only_ask_a_few_times(client):
    for n in range(3):
        assert ask(client, number=f"0770090010{n}").status_code == 200
    response = ask(client, number="07700900109")
    assert response.status_code == 429 and "08 088 088 088" in response.json["error"]


def test_a_number_that_opted_out_is_not_texted(app, client):
    from safety.sms import number_key

    sms_channel = app.extensions["ofd_sms"]
    sms_channel.state.set_opted_out(number_key(NUMBER, sms_channel.hash_key), True)
    response = ask(client)
    assert response.status_code == 400 and "can't send texts" in response.json["error"]


def test_without_twilio_the_form_says_so_and_gives_the_number(
    monkeypatch, tmp_path, seeded_directory
):
    from server import create_app
    from tests.conftest import StandInRasa, settings_for_tests

    monkeypatch.delenv("OFD_TWILIO_FROM")
    settings = settings_for_tests(tmp_path)
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    client = create_app(settings, rasa=StandInRasa()).test_client()
    response = ask(client)
    assert response.status_code == 503 and "08 088 088 088" in response.json["error"]


def test_the_form_works_without_javascript(client):
    page = client.get("/text-me").get_data(as_text=True)
    assert 'action="/text-me"' in page and 'name="consent"' in page
    response = client.post(
        "/text-me", data={"number": "07700900123", "when": "soon", "consent": "yes"}
    )
    assert response.status_code == 200 and "ending 123" in response.get_data(as_text=True)


def test_the_no_javascript_form_keeps_what_was_typed_on_error(client):
    response = client.post(
        "/text-me", data={"number": "07700900123", "when": "later", "time": "21:15"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "safe for us to text" in page
    assert 'value="07700900123"' in page and 'value="21:15"' in page


def test_the_chat_page_shows_the_form_when_the_bot_offers_it(client, stand_in_rasa):
    from safety.replies import Reply

    stand_in_rasa.replies = [Reply("I can send you a text later."), Reply(kind="sms_handoff")]
    page = client.post("/chat", data={"message": "/request_text"}).get_data(as_text=True)
    assert "I can send you a text later." in page
    assert page.count('action="/text-me"') == 2  # in the chat, and in the widget's template


def test_numbers_never_reach_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    ask(client)
    ask(client, number="07700 900124", consent=False)
    assert "7700" not in caplog.text


def test_another_site_cannot_post_the_form(app, client):
    response = client.post(
        "/text-me",
        data={"number": "07700900123", "when": "soon", "consent": "yes"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert app.extensions["ofd_sms"].handoffs.state(1) is None


def test_the_service_caps_texts_per_hour(monkeypatch, client):
    from server import handoff

    monkeypatch.setattr(handoff, "MAX_PER_HOUR", 1)
    assert ask(client).status_code == 200
    response = ask(client, number="07700900124")
    assert response.status_code == 429 and "08 088 088 088" in response.json["error"]
