"""The SMS channel and text-me-later through the whole service as `make run` starts it: real
Rasa, the launcher's SMS worker, and the real twilio library talking to a loopback Twilio."""

from __future__ import annotations

import time
from xml.etree import ElementTree

import pytest
import requests
from twilio.request_validator import RequestValidator

from safety.sms import giveaways
from tests.conftest import start_service, stop_service
from tests.twilio_loopback import TwilioLoopback

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

ACCOUNT = "AC" + "2" * 32
TOKEN = "e2e-auth-token"
SENDER = "+447700900999"
TEXTER = "+447700900456"
SECRET_WORDS = "marmalade-harbour-4410"


@pytest.fixture(scope="module")
def twilio():
    with TwilioLoopback(ACCOUNT, TOKEN) as loopback:
        yield loopback


@pytest.fixture(scope="module")
def service(tmp_path_factory, trained_model, twilio):
    twilio_env = {
        "OFD_TWILIO_ACCOUNT_SID": ACCOUNT,
        "OFD_TWILIO_AUTH_TOKEN": TOKEN,
        "OFD_TWILIO_FROM": SENDER,
        "OFD_TWILIO_API_BASE": twilio.url,
        "OFD_TWILIO_TIMEOUT_S": "5",
        "OFD_HANDOFF_LEASE_S": "10",
        "OFD_HANDOFF_POLL_S": "0.2",
    }
    # The launcher passes its own environment on to every process it starts.
    with pytest.MonkeyPatch.context() as patch:
        for name, value in twilio_env.items():
            patch.setenv(name, value)
        service = start_service(tmp_path_factory.mktemp("sms-e2e"), trained_model)
    yield service
    if service.process.poll() is None:
        stop_service(service)


def text_in(service, body: str, sid: str) -> list[str]:
    url = f"{service.web_url}/sms/inbound"
    params = {"MessageSid": sid, "From": TEXTER, "To": SENDER, "Body": body}
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    response = requests.post(
        url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30
    )
    assert response.status_code == 200
    return [m.text for m in ElementTree.fromstring(response.content).iter("Message")]


def test_a_signed_text_gets_the_bots_answer_as_twiml(service):
    [message] = text_in(service, "hello", "SMe2e1")
    assert "One Front Door" in message and "Reply 1 for" in message


def test_a_forged_text_is_refused(service):
    url = f"{service.web_url}/sms/inbound"
    params = {"MessageSid": "SMe2e2", "From": TEXTER, "Body": "hello"}
    forged = RequestValidator("guess").compute_signature(url, params)
    response = requests.post(url, data=params, headers={"X-Twilio-Signature": forged}, timeout=30)
    assert response.status_code == 403


def test_danger_by_text_gets_999_first(service):
    messages = text_in(service, f"he is outside with a knife {SECRET_WORDS}", "SMe2e3")
    assert messages[0].startswith("If you are in danger now, call 999")


def test_the_bot_offers_the_form_and_the_worker_sends_the_text_once(service, twilio):
    session = requests.Session()
    kinds = [
        m["kind"] for m in service.chat("can you text me the number later", session)["messages"]
    ]
    assert "sms_handoff" in kinds
    response = session.post(
        f"{service.web_url}/api/handoff",
        json={"number": "07700 900123", "when": "soon", "consent": True},
        timeout=30,
    )
    assert response.status_code == 200
    deadline = time.monotonic() + 30
    while not twilio.sent_to("+447700900123"):
        assert time.monotonic() < deadline, "the SMS worker did not send the text"
        time.sleep(0.2)
    time.sleep(1)
    [message] = twilio.sent_to("+447700900123")
    assert giveaways(message.body) == [] and "999" in message.body


def test_logs_hold_no_numbers_or_words(service):
    log = service.log_text()
    for secret in ("7700900123", "7700 900123", "7700900456", SECRET_WORDS, "reminder you asked"):
        assert secret not in log


def test_ctrl_c_stops_the_worker_too(service):
    assert stop_service(service) == 0
