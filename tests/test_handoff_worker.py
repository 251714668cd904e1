"""The SMS worker as a real process, sending with the real twilio Client to a loopback Twilio.

The key test kills the worker between 'taken' and 'sent' (while Twilio holds its request
open) and checks that after a restart each text has gone exactly once, and that no number and
no words are left in the database or the logs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.settings import PROJECT_ROOT
from safety.handoff_store import SENT, TAKEN, HandoffStore
from safety.sms import handoff_text
from server import keys
from tests.twilio_loopback import TwilioLoopback

ACCOUNT = "AC" + "1" * 32
TOKEN = "loopback-auth-token"
SENDER = "+447700900999"
NUMBER = "+447700900123"
BODY = handoff_text("08 088 088 088")
LEASE_S = 2.0


@pytest.fixture
def twilio() -> Iterator[TwilioLoopback]:
    with TwilioLoopback(ACCOUNT, TOKEN) as loopback:
        yield loopback


@pytest.fixture
def env(tmp_path: Path, twilio: TwilioLoopback) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "OFD_INSTANCE_DIR": str(tmp_path / "instance"),
        "OFD_DATA_KEY": Fernet.generate_key().decode(),
        "OFD_TWILIO_ACCOUNT_SID": ACCOUNT,
        "OFD_TWILIO_AUTH_TOKEN": TOKEN,
        "OFD_TWILIO_FROM": SENDER,
        "OFD_TWILIO_API_BASE": twilio.url,
        "OFD_TWILIO_TIMEOUT_S": "1",
        "OFD_HANDOFF_LEASE_S": str(LEASE_S),
        "OFD_HANDOFF_POLL_S": "0.1",
    }


@pytest.fixture
def store(env: dict[str, str]) -> HandoffStore:
    instance = Path(env["OFD_INSTANCE_DIR"])
    return HandoffStore(instance / "handoff.sqlite", keys.fernet(instance, env))


class Worker:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.sms_worker"],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)


@pytest.fixture
def workers(tmp_path: Path, env: dict[str, str]) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


def start(workers: list[Worker], env: dict[str, str], tmp_path: Path) -> Worker:
    worker = Worker(env, tmp_path / "worker.log")
    workers.append(worker)
    return worker


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def queue_due_text(store: HandoffStore) -> int:
    now = time.time()
    return store.add(NUMBER, BODY, "hash-of-number", now - 1, now + 1800)


def assert_no_trace(store: HandoffStore, log_path: Path) -> None:
    stored = b"".join(p.read_bytes() for p in store.path.parent.glob("*.sqlite*"))
    logged = log_path.read_bytes()
    for secret in (b"7700900123", b"reminder", b"gAAAA", b"hash-of-number"):
        assert secret not in stored
        assert secret not in logged


def test_a_due_text_is_sent_once_by_the_real_twilio_client(twilio, env, store, workers, tmp_path):
    text = queue_due_text(store)
    worker = start(workers, env, tmp_path)
    wait_for(lambda: store.state(text) == SENT)
    assert worker.stop() == 0  # SIGTERM stops it cleanly
    [message] = twilio.sent_to(NUMBER)
    assert (message.body, message.from_) == (BODY, SENDER)
    assert_no_trace(store, worker.log_path)


@pytest.mark.parametrize("fate", ["accepted", "lost"])
def test_killed_between_taken_and_sent_the_text_still_goes_exactly_once(
    fate, twilio, env, store, workers, tmp_path
):
    """'accepted': Twilio took the text, the answer never came back. 'lost': it never arrived."""
    text = queue_due_text(store)
    twilio.hold = fate
    first = start(workers, env, tmp_path)
    assert twilio.holding.wait(20), "the worker never called Twilio"
    assert store.state(text) == TAKEN
    first.process.kill()  # SIGKILL: no clean-up of any kind
    first.process.wait()
    assert store.state(text) == TAKEN
    killed_at = time.monotonic()

    second = start(workers, env, tmp_path)
    wait_for(lambda: store.state(text) == SENT)
    assert time.monotonic() - killed_at >= LEASE_S * 0.5  # it waited for the claim to run out
    time.sleep(LEASE_S + 0.5)  # time for any duplicate to appear
    assert len(twilio.sent_to(NUMBER)) == 1
    if fate == "accepted":  # found by asking Twilio, not by sending again
        assert ("GET", f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json") in twilio.requests
    assert second.stop() == 0
    assert_no_trace(store, second.log_path)


def test_a_number_twilio_refuses_is_dropped_not_retried(twilio, env, store, workers, tmp_path):
    twilio.refused_numbers.add(NUMBER)
    text = queue_due_text(store)
    worker = start(workers, env, tmp_path)
    wait_for(lambda: store.state(text) == "failed")
    time.sleep(0.5)
    assert sum(method == "POST" for method, _ in twilio.requests) == 1
    worker.stop()
    assert_no_trace(store, worker.log_path)


def test_a_wrong_twilio_token_never_sends(twilio, env, store, workers, tmp_path):
    text = queue_due_text(store)
    worker = start(workers, {**env, "OFD_TWILIO_AUTH_TOKEN": "wrong"}, tmp_path)
    wait_for(lambda: len(twilio.requests) >= 1)
    time.sleep(0.5)
    assert twilio.messages == [] and store.state(text) in ("taken", "failed")
    worker.stop()
