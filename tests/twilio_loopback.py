"""A loopback stand-in for Twilio's Messages REST API, for the real twilio ``Client`` to talk to.

It speaks the parts the service uses: create a message (POST .../Messages.json) and list
messages (GET .../Messages.json with To/From filters), with HTTP basic auth. Tests can make
it hold a create request open, with or without having accepted the message, to stop a worker
at the exact moment between 'taken' and 'sent'.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC\w+)/Messages\.json$")
INVALID_NUMBER = 21211


@dataclass
class LoopbackMessage:
    sid: str
    to: str
    from_: str
    body: str
    created: datetime

    def resource(self, account: str) -> dict:
        created = format_datetime(self.created)
        return {
            "sid": self.sid, "account_sid": account, "to": self.to, "from": self.from_,
            "body": self.body, "status": "queued", "direction": "outbound-api",
            "num_segments": "1", "date_created": created, "date_updated": created,
            "date_sent": None, "api_version": "2010-04-01", "price": None,
            "error_code": None, "error_message": None, "num_media": "0",
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{self.sid}.json",
        }  # fmt: skip


class TwilioLoopback:
    """Run with ``with TwilioLoopback(sid, token) as twilio: ...``; ``twilio.url`` is the base."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages: list[LoopbackMessage] = []
        self.refused_numbers: set[str] = set()
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request
        # Hold the next create request open: "accepted" keeps the message, "lost" does not.
        self.hold: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> TwilioLoopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def sent_to(self, number: str) -> list[LoopbackMessage]:
        with self._lock:
            return [m for m in self.messages if m.to == number]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep numbers out of test output
                pass

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _check(self) -> str | None:
                """The account the request is for, or None after answering an error."""
                url = urlsplit(self.path)
                loopback.requests.append((self.command, url.path))
                match = MESSAGES_PATH.match(url.path)
                expected = base64.b64encode(
                    f"{loopback.account_sid}:{loopback.auth_token}".encode()
                ).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    return None
                if not match or match["account"] != loopback.account_sid:
                    self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                    return None
                return match["account"]

            def do_POST(self) -> None:
                account = self._check()
                if account is None:
                    return
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if form.get("To") in loopback.refused_numbers:
                    self._reply(
                        400,
                        {"code": INVALID_NUMBER, "message": "Invalid 'To' number", "status": 400},
                    )
                    return
                message = LoopbackMessage(
                    sid="SM" + secrets.token_hex(16),
                    to=form.get("To", ""),
                    from_=form.get("From", ""),
                    body=form.get("Body", ""),
                    created=datetime.now(UTC),
                )
                hold, loopback.hold = loopback.hold, None
                if hold != "lost":
                    with loopback._lock:
                        loopback.messages.append(message)
                if hold:
                    loopback.holding.set()
                    loopback.release.wait()
                    return  # the caller is killed while waiting; no answer goes back
                self._reply(201, message.resource(account))

            def do_GET(self) -> None:
                account = self._check()
                if account is None:
                    return
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                with loopback._lock:
                    found = [
                        m.resource(account)
                        for m in reversed(loopback.messages)
                        if m.to == query.get("To", m.to) and m.from_ == query.get("From", m.from_)
                    ]
                page_size = int(query.get("PageSize", 50))
                self._reply(
                    200,
                    {
                        "messages": found[:page_size],
                        "page": 0,
                        "page_size": page_size,
                        "first_page_uri": self.path,
                        "next_page_uri": None,
                        "previous_page_uri": None,
                        "uri": self.path,
                        "start": 0,
                        "end": min(len(found), page_size),
                    },
                )

        return Handler
