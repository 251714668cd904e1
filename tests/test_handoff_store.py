"""The pending-text store and the worker's pass over it (exactly once, wiped after)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from safety.handoff_store import (
    EXPIRED,
    FAILED,
    PENDING,
    SENT,
    TAKEN,
    HandoffStore,
    RefusedForGood,
    run_once,
)

NUMBER = "+447700900123"
BODY = "Hi, this is the reminder you asked for."
LEASE = 60.0


class RecordingGateway:
    """Stands in for Twilio in these unit tests (the real library is tested against the
    loopback in test_handoff_worker.py): records texts, can fail on demand."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str, float]] = []
        self.fail_with: Exception | None = None
        self.clock = 0.0

    def send(self, to: str, body: str) -> None:
        if self.fail_with:
            raise self.fail_with
        self.accepted.append((to, body, self.clock))

    def already_has(self, to: str, body: str, since: float) -> bool:
        return any(t == to and b == body and at >= since for t, b, at in self.accepted)


@pytest.fixture
def store(tmp_path: Path) -> HandoffStore:
    return HandoffStore(tmp_path / "handoff.sqlite", Fernet(Fernet.generate_key()))


def stored_bytes(store: HandoffStore) -> bytes:
    return b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))


def add(store: HandoffStore, send_after: float = 100.0, latest: float = 1000.0) -> int:
    return store.add(NUMBER, BODY, "hash-of-number", send_after, latest)


def test_the_number_and_words_are_stored_encrypted(store):
    add(store)
    raw = stored_bytes(store)
    assert NUMBER.encode() not in raw and b"7700900123" not in raw
    assert b"reminder" not in raw


def test_a_text_is_not_sent_before_its_time(store):
    gateway = RecordingGateway()
    text = add(store, send_after=100.0)
    assert run_once(store, gateway, now=99.0, lease_s=LEASE).sent == 0
    assert store.state(text) == PENDING and gateway.accepted == []


def test_a_due_text_is_sent_once_and_then_wiped(store):
    gateway = RecordingGateway()
    text = add(store)
    assert run_once(store, gateway, now=150.0, lease_s=LEASE).sent == 1
    assert run_once(store, gateway, now=151.0, lease_s=LEASE).sent == 0
    assert run_once(store, gateway, now=150.0 + 2 * LEASE, lease_s=LEASE).sent == 0
    assert [(to, body) for to, body, _ in gateway.accepted] == [(NUMBER, BODY)]
    assert store.state(text) == SENT
    assert b"gAAAA" not in stored_bytes(store)  # no Fernet token left, not even in free pages
    assert b"hash-of-number" not in stored_bytes(store)


def test_two_workers_never_claim_the_same_text(store):
    add(store)
    assert len(store.claim_due(150.0)) == 1
    assert store.claim_due(150.0) == []


def test_a_refused_text_fails_and_is_wiped(store):
    gateway = RecordingGateway()
    gateway.fail_with = RefusedForGood("bad number")
    text = add(store)
    assert run_once(store, gateway, now=150.0, lease_s=LEASE).failed == 1
    assert store.state(text) == FAILED
    assert b"gAAAA" not in stored_bytes(store)


def test_an_unclear_failure_keeps_the_claim_until_the_lease_runs_out(store):
    gateway = RecordingGateway()
    gateway.fail_with = TimeoutError()
    text = add(store)
    assert run_once(store, gateway, now=150.0, lease_s=LEASE).left_taken == 1
    assert store.state(text) == TAKEN
    gateway.fail_with = None
    assert run_once(store, gateway, now=150.0 + LEASE / 2, lease_s=LEASE).sent == 0
    report = run_once(store, gateway, now=151.0 + LEASE, lease_s=LEASE)
    assert report.sent == 1 and store.state(text) == SENT


def test_a_text_the_gateway_already_took_is_not_sent_again(store):
    """The worker died after Twilio accepted the text but before it wrote 'sent'."""
    gateway = RecordingGateway()
    text = add(store)
    [claim] = store.claim_due(150.0)
    gateway.clock = 150.5
    gateway.send(claim.to, claim.body)  # ...and the worker dies here
    report = run_once(store, gateway, now=151.0 + LEASE, lease_s=LEASE)
    assert report.reconciled == 1 and report.sent == 0
    assert len(gateway.accepted) == 1 and store.state(text) == SENT


def test_a_text_lost_on_the_way_is_sent_after_the_lease(store):
    gateway = RecordingGateway()
    text = add(store)
    store.claim_due(150.0)  # the worker dies before reaching the gateway
    report = run_once(store, gateway, now=151.0 + LEASE, lease_s=LEASE)
    assert report.sent == 1 and len(gateway.accepted) == 1 and store.state(text) == SENT


def test_when_the_gateway_cannot_be_asked_nothing_is_resent(store):
    gateway = RecordingGateway()
    text = add(store)
    store.claim_due(150.0)
    gateway.already_has = lambda *args, **kwargs: (_ for _ in ()).throw(ConnectionError())
    report = run_once(store, gateway, now=151.0 + LEASE, lease_s=LEASE)
    assert report.left_taken == 1 and gateway.accepted == [] and store.state(text) == TAKEN


def test_a_claim_the_gateway_cannot_answer_for_is_wiped_after_its_safe_time(store):
    gateway = RecordingGateway()
    text = add(store, send_after=100.0, latest=200.0)
    store.claim_due(150.0)
    gateway.already_has = lambda *args, **kwargs: (_ for _ in ()).throw(ConnectionError())
    assert run_once(store, gateway, now=500.0, lease_s=LEASE).expired == 1
    assert gateway.accepted == [] and store.state(text) == EXPIRED
    assert b"gAAAA" not in stored_bytes(store)


def test_a_text_is_never_sent_after_its_safe_time(store):
    gateway = RecordingGateway()
    text = add(store, send_after=100.0, latest=200.0)
    assert run_once(store, gateway, now=250.0, lease_s=LEASE).expired == 1
    assert gateway.accepted == [] and store.state(text) == EXPIRED
    assert b"gAAAA" not in stored_bytes(store)


def test_a_dead_claim_past_its_safe_time_expires_instead_of_sending(store):
    gateway = RecordingGateway()
    text = add(store, send_after=100.0, latest=200.0)
    store.claim_due(150.0)
    assert run_once(store, gateway, now=500.0, lease_s=LEASE).expired == 1
    assert gateway.accepted == [] and store.state(text) == EXPIRED


def test_finished_rows_are_purged_after_a_day(store):
    gateway = RecordingGateway()
    text = add(store)
    run_once(store, gateway, now=150.0, lease_s=LEASE)
    store.purge_finished(now=10**10)
    assert store.state(text) is None


def test_waiting_texts_are_counted_per_number_hash(store):
    add(store)
    assert store.waiting_for("hash-of-number") == 1
    assert store.waiting_for("another") == 0


def test_a_text_that_cannot_be_decrypted_is_wiped_not_retried(store, tmp_path):
    text = add(store)
    rekeyed = HandoffStore(store.path, Fernet(Fernet.generate_key()))  # the key was changed
    gateway = RecordingGateway()
    assert run_once(rekeyed, gateway, now=150.0, lease_s=LEASE).sent == 0
    assert gateway.accepted == [] and store.state(text) == FAILED
    assert b"gAAAA" not in stored_bytes(store)
