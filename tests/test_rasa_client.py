"""server/rasa_client.py against a stand-in Rasa REST channel on loopback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.settings import free_port
from server.rasa_client import RasaClient


class StandInRasa(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = json.dumps(
            [{"recipient_id": body["sender"], "text": f"you said {body['message']}"}]
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def do_GET(self) -> None:  # noqa: N802 - Rasa's root answers "Hello from Rasa"
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rasa_url():
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
