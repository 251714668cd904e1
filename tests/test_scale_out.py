"""Scale-out mode against the machine's real Redis: two Rasa replicas share conversations."""

import json
import os
import signal
from pathlib import Path

import pytest
import redis
import requests

from bot.settings import free_port
from safety.replies import UNAVAILABLE
from tests.conftest import start_service, stop_service

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

REDIS_DB = 14  # a database of its own: the test empties it
TTL_S = 600
CONVERSATION = ("hello", "my partner controls everything I do", "/affirm", "/deny", "/deny")


@pytest.fixture(scope="module")
def redis_db():
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("scale-out tests need the machine's Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, trained_model, redis_db):
    service = start_service(
        tmp_path_factory.mktemp("scale-out"),
        trained_model,
        OFD_SCALE_OUT="1",
        OFD_RASA_PORTS=f"{free_port()},{free_port()}",
        OFD_REDIS_DB=str(REDIS_DB),
        OFD_CONVERSATION_TTL_S=str(TTL_S),
    )
    yield service
    if service.process.poll() is None:
        stop_service(service)


def stored_events(redis_db, sender: str) -> list[dict]:
    return json.loads(redis_db.get(f"ofd:tracker:{sender}"))["events"]


def user_texts(events: list[dict]) -> list[str]:
    return [e["text"] for e in events if e["event"] == "user"]


def actions(events: list[dict]) -> list[str]:
    return [e["name"] for e in events if e["event"] == "action"]


def say(replica_url: str, sender: str, text: str) -> list[dict]:
    response = requests.post(
        f"{replica_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def replica_pid(port: int) -> int:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"run" in cmdline and b"--port" in cmdline and str(port).encode() in cmdline:
                return int(proc.name)
    raise LookupError(port)


def test_turns_on_alternating_replicas_continue_one_conversation(scaled, redis_db):
    first, second = scaled.settings.rasa_urls
    for turn, text in enumerate(CONVERSATION):
        say(first if turn % 2 == 0 else second, "alternating", text)
        say(first, "one-replica", text)
    alternating, single = (
        stored_events(redis_db, "alternating"),
        stored_events(redis_db, "one-replica"),
    )
    assert user_texts(alternating) == list(CONVERSATION)
    assert actions(alternating) == actions(single)


def test_conversations_expire_by_themselves(scaled, redis_db):
    say(scaled.settings.rasa_urls[0], "expiring", "hello")
    assert 0 < redis_db.ttl("ofd:tracker:expiring") <= TTL_S


def test_a_killed_replica_loses_no_acknowledged_turn(scaled, redis_db):
    for text in CONVERSATION:
        say(scaled.settings.rasa_urls[0], "reference", text)
    before = set(redis_db.scan_iter("ofd:tracker:*"))
    with requests.Session() as browser:
        for turn, text in enumerate(CONVERSATION):
            if turn == 2:
                os.kill(replica_pid(scaled.settings.rasa_ports[0]), signal.SIGKILL)
            messages = scaled.chat(text, browser)["messages"]
            assert messages and all(m["kind"] != UNAVAILABLE for m in messages), (turn, messages)
    [key] = set(redis_db.scan_iter("ofd:tracker:*")) - before
    events = stored_events(redis_db, key.decode().removeprefix("ofd:tracker:"))
    assert user_texts(events) == list(CONVERSATION)
    assert actions(events) == actions(stored_events(redis_db, "reference"))
