"""server/rasa_client.py against a stand-in Rasa REST channel on loopback."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.settings import free_port
from server.rasa_client import TURNS_IN_FLIGHT_PER_REPLICA, RasaClient, TurnsInOrder


class StandInRasa(BaseHTTPRequestHandler):
    delay_s = 0.0  # how long each turn takes
    slow_senders = ""  # only senders starting with this take that long
    inside = 0  # turns being answered now
    most_inside = 0
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = json.dumps(
            [{"recipient_id": body["sender"], "text": f"you said {body['message']}"}]
        )
        with StandInRasa.lock:
            StandInRasa.inside += 1
            StandInRasa.most_inside = max(StandInRasa.most_inside, StandInRasa.inside)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        # A slow turn trickles out its answer (JSON may begin with spaces), so the client's
        # timeout, which counts silence, never ends it: it keeps its place in Rasa meanwhile.
        slow = body["sender"].startswith(StandInRasa.slow_senders)
        finish = time.monotonic() + (StandInRasa.delay_s if slow else 0)
        while time.monotonic() < finish:
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.02)
        self.wfile.write(answer.encode())
        with StandInRasa.lock:
            StandInRasa.inside -= 1

    def do_GET(self) -> None:  # noqa: N802 - Rasa's root answers "Hello from Rasa"
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rasa_url(monkeypatch):
    monkeypatch.setattr(StandInRasa, "most_inside", 0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_replica_that_cannot_be_reached_is_skipped(rasa_url):
    client = RasaClient([f"http://127.0.0.1:{free_port()}", rasa_url])
    for turn in ("one", "two"):  # whichever replica's turn it is
        assert [r.text for r in client.send("someone", turn)] == [f"you said {turn}"]


def test_no_replica_answering_gives_none():
    assert RasaClient([f"http://127.0.0.1:{free_port()}"]).send("someone", "hello") is None


def test_a_proxy_named_in_the_environment_is_never_used(rasa_url, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert [r.text for r in RasaClient([rasa_url]).send("someone", "hi")] == ["you said hi"]


def test_is_up_only_when_every_replica_answers(rasa_url):
    assert RasaClient([rasa_url]).is_up()
    assert not RasaClient([rasa_url, f"http://127.0.0.1:{free_port()}"]).is_up()


def test_only_a_few_turns_are_in_rasa_at_once_and_the_rest_wait(rasa_url, monkeypatch):
    monkeypatch.setattr(StandInRasa, "delay_s", 0.05)
    client = RasaClient([rasa_url])
    turns = [f"turn {n}" for n in range(3 * TURNS_IN_FLIGHT_PER_REPLICA)]
    with ThreadPoolExecutor(len(turns)) as pool:
        answers = list(pool.map(lambda turn: client.send(turn, turn), turns))
    assert [a[0].text for a in answers] == [f"you said {turn}" for turn in turns]
    assert StandInRasa.most_inside == TURNS_IN_FLIGHT_PER_REPLICA


def test_a_turn_kept_waiting_past_the_timeout_gets_none(rasa_url, monkeypatch):
    monkeypatch.setattr(StandInRasa, "delay_s", 1.0)
    monkeypatch.setattr(StandInRasa, "slow_senders", "slow")
    client = RasaClient([rasa_url], timeout=0.3)
    with ThreadPoolExecutor(TURNS_IN_FLIGHT_PER_REPLICA) as pool:
        busy = [pool.submit(client.send, f"slow {n}", "hi")
                for n in range(TURNS_IN_FLIGHT_PER_REPLICA)]  # fmt: skip
        time.sleep(0.1)  # every place in Rasa is taken
        started = time.monotonic()
        # Rasa would answer this one at once, but it never gets in.
        assert client.send("quick", "hi") is None
        assert time.monotonic() - started < 0.6
        assert all(turn.result()[0].text == "you said hi" for turn in busy)


def test_a_freed_place_goes_to_the_turn_waiting_not_to_a_newcomer():
    turns = TurnsInOrder(1)
    assert turns.enter(timeout=0)
    entered = []
    waiting = threading.Thread(target=lambda: entered.append(turns.enter(timeout=5)))
    waiting.start()
    time.sleep(0.1)  # it is waiting now
    turns.leave()
    assert not turns.enter(timeout=0)
    waiting.join()
    assert entered == [True]


def test_turns_go_in_in_the_order_they_came():
    turns = TurnsInOrder(1)
    assert turns.enter(timeout=0)
    order = []

    def turn(number: int) -> None:
        assert turns.enter(timeout=5)
        order.append(number)
        turns.leave()

    threads = [threading.Thread(target=turn, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)  # each is waiting before the next comes
    turns.leave()
    for thread in threads:
        thread.join()
    assert order == list(range(5))
