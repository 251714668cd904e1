"""With Rasa stopped, danger that no phrase rule knows still gets 999 guidance first, on the
web and by SMS: the web server runs the learned danger detector itself (server/conversation)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from bot.settings import free_port
from safety.danger import assess
from safety.replies import EMERGENCY, UNAVAILABLE
from server import create_app
from server.conversation import learned_detector
from server.rasa_client import RasaClient
from tests.conftest import settings_for_tests

TOKEN = "rasa-down-token-0123456789"
# Written for this test; no phrase rule holds them (checked below).
NO_RULE_DANGER = {
    "web": "sunt ascunsa in dulap, el umbla prin casa cu toporul",
    "sms": "he's pouring lighter fluid round the bed",
}


@pytest.fixture
def app_without_rasa(tmp_path, seeded_directory, danger_detector, monkeypatch):
    monkeypatch.setenv("OFD_TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.delenv("OFD_PUBLIC_URL", raising=False)
    settings = settings_for_tests(tmp_path, OFD_MODELS_DIR=str(danger_detector.parent))
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    # A real client for a Rasa that is not running: nothing listens on this port.
    rasa = RasaClient([f"http://127.0.0.1:{free_port()}"], timeout=2)
    app = create_app(settings, rasa=rasa)
    app.config["TESTING"] = True
    assert learned_detector(app.extensions["ofd"]["danger_detector"]) is not None
    return app


def test_the_messages_hold_no_phrase_a_rule_knows():
    for text in NO_RULE_DANGER.values():
        assert not assess(text).immediate_danger


def test_web_chat_gives_999_first_when_rasa_is_down(app_without_rasa):
    client = app_without_rasa.test_client()
    response = client.post("/api/chat", json={"message": NO_RULE_DANGER["web"]})
    assert response.status_code == 200
    kinds = [m["kind"] for m in response.get_json()["messages"]]
    assert kinds == [EMERGENCY, UNAVAILABLE]


def test_sms_gives_999_first_when_rasa_is_down(app_without_rasa):
    client = app_without_rasa.test_client()
    url = "http://localhost/sms/inbound"
    params = {"MessageSid": "SMdown1", "From": "+447700900123", "To": "+447700900999",
              "Body": NO_RULE_DANGER["sms"]}  # fmt: skip
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    response = client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    messages = [m.text for m in ElementTree.fromstring(response.data).iter("Message")]
    assert messages[0].startswith("If you are in danger now, call 999")


def test_an_ordinary_message_gets_no_999_guidance_when_rasa_is_down(app_without_rasa):
    client = app_without_rasa.test_client()
    response = client.post("/api/chat", json={"message": "what time do you open on saturdays"})
    assert [m["kind"] for m in response.get_json()["messages"]] == [UNAVAILABLE]
