"""The whole service as `make run` starts it: real Rasa, action server and web server."""

import json
import socket
import time

import pytest
import requests

from safety.replies import EMERGENCY
from server.launch import SEED
from tests.conftest import start_service, stop_service

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

SECRET_WORDS = "pineapple-lighthouse-7731"
SECRET_NUMBER = "07700 900123"


@pytest.fixture(scope="module")
def service(tmp_path_factory, trained_model):
    service = start_service(tmp_path_factory.mktemp("e2e"), trained_model)
    yield service
    if service.process.poll() is None:
        stop_service(service)


def verified_phones() -> set[str]:
    records = json.loads(SEED.read_text(encoding="utf-8"))
    return {r["phone"] for r in records if r["verified"]}


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            lines = rows.read().splitlines()[1:]
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def test_hello_is_answered_with_json_quickly(service):
    started = time.monotonic()
    reply = service.chat("hello")
    assert time.monotonic() - started < 2.0
    texts = [m["text"] for m in reply["messages"]]
    assert any("One Front Door" in t for t in texts)
    assert any(m["buttons"] for m in reply["messages"])


def test_a_disclosure_gets_a_real_verified_service(service):
    with requests.Session() as session:
        service.chat("hello", session)
        service.chat("my partner controls everything I do", session)
        service.chat("/deny", session)  # no safety questions today
        reply = service.chat("I live in Watford", session)
    text = "\n".join(m["text"] for m in reply["messages"])
    assert any(phone in text for phone in verified_phones())
    assert "UNVERIFIED" not in text


def test_immediate_danger_gets_emergency_guidance_first(service):
    reply = service.chat("he is outside and trying to get in")
    first = reply["messages"][0]
    assert first["kind"] == EMERGENCY and "999" in first["text"] and "55" in first["text"]


def test_health_reports_every_part_up(service):
    health = requests.get(f"{service.web_url}/healthz", timeout=10).json()
    assert health == {"ok": True, "web": True, "rasa": True, "actions": True}


def test_rasa_and_action_server_listen_on_loopback_only(service):
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1
    for port in (*service.settings.rasa_ports, service.settings.actions_port):
        addresses = listening_addresses(port)
        assert addresses and addresses <= loopback, (port, addresses)


def test_logs_hold_no_message_text_or_phone_numbers(service):
    service.chat(f"my code word is {SECRET_WORDS} and my number is {SECRET_NUMBER}")
    service.chat(f"he is outside {SECRET_WORDS}")
    log = service.log_text()
    assert SECRET_WORDS not in log
    assert SECRET_NUMBER not in log and SECRET_NUMBER.replace(" ", "") not in log


def test_ctrl_c_stops_every_process_and_frees_the_ports(service):
    ports = [service.settings.web_port, *service.settings.rasa_ports, service.settings.actions_port]
    assert stop_service(service) == 0
    for port in ports:
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, port
