"""Talk to Rasa's REST channel on loopback: one server, or several replicas in turn."""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque

import requests

from safety.replies import Reply
from server.probe import answers

log = logging.getLogger(__name__)

# Turns let into each Rasa replica at once. A replica works on one turn at a time, switching
# whenever a turn waits for the action server; with more turns inside, each turn's steps queue
# behind everyone else's and the slowest answers come later (16 people without pauses: p95
# about 210 ms with 4 inside against 260-300 ms with 8 and 360-420 ms with 32). Fewer than 4
# leave the replica idle while a turn waits, and fewer turns get through.
TURNS_IN_FLIGHT_PER_REPLICA = 4


class TurnsInOrder:
    """Lets at most ``limit`` turns in at once; the others go in strictly in the order they
    came. A leaving turn hands its place straight to the first one waiting (with a plain
    semaphore a newcomer can take a freed place before those waiting, so some turns wait far
    longer than others), and wakes no one else."""

    def __init__(self, limit: int) -> None:
        self._free = limit
        self._waiting: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    def enter(self, timeout: float) -> bool:
        """Wait for this turn's place; False if none came within ``timeout`` seconds."""
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return True
            handed_a_place = threading.Event()
            self._waiting.append(handed_a_place)
        if handed_a_place.wait(timeout):
            return True
        with self._lock:
            if handed_a_place.is_set():  # handed one just as the time ran out
                return True
            self._waiting.remove(handed_a_place)
            return False

    def leave(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


def reply_from_rasa(message: dict) -> Reply:
    """Turn one REST channel message into a :class:`Reply` (a custom-only one is a marker)."""
    custom = message.get("custom") or {}
    buttons = tuple(
        {"title": b["title"], "payload": b["payload"]} for b in message.get("buttons") or ()
    )
    return Reply(
        text=message.get("text") or "",
        buttons=buttons,
        kind=custom.get("kind"),
        language=custom.get("language"),
        data=custom.get("data") if isinstance(custom.get("data"), dict) else None,
    )


class RasaClient:
    """Sends each turn to the next replica; a replica that cannot be reached is skipped.

    Replicas share conversations through Redis (scale-out mode), so any of them can take any
    turn. Only connection failures move a turn on to another replica: a replica that was
    reached but did not answer in time may still be working on it. Turns beyond
    ``TURNS_IN_FLIGHT_PER_REPLICA`` per replica wait here, in the order they came, for up to
    the same timeout.
    """

    def __init__(self, base_urls: list[str], timeout: float = 10.0) -> None:
        self.base_urls = list(base_urls)
        self.timeout = timeout
        self._turns = itertools.count()
        self._in_flight = TurnsInOrder(TURNS_IN_FLIGHT_PER_REPLICA * len(self.base_urls))
        # Kept-alive connections to Rasa: a new TCP connection each turn costs milliseconds.
        self._http = requests.Session()
        # Rasa is on loopback: the person's words never go through a proxy named in the
        # environment, and not looking one up on each turn saves time too.
        self._http.trust_env = False

    def _in_turn(self) -> list[str]:
        start = next(self._turns) % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    def send(self, sender: str, text: str) -> list[Reply] | None:
        """The bot's replies to ``text``, or None when no replica answers in time."""
        if not self._in_flight.enter(self.timeout):
            log.warning("Rasa was busy for longer than the timeout")
            return None
        try:
            return self._send(sender, text)
        finally:
            self._in_flight.leave()

    def _send(self, sender: str, text: str) -> list[Reply] | None:
        for base_url in self._in_turn():
            try:
                response = self._http.post(
                    f"{base_url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text},
                    timeout=self.timeout,
                )
                response.raise_for_status()
                return [reply_from_rasa(m) for m in response.json()]
            except requests.ConnectionError:
                log.warning("A Rasa replica could not be reached; trying the next")
            except (requests.RequestException, ValueError) as error:
                # The error type only: the request body holds the person's words.
                log.warning("Rasa did not answer: %s", type(error).__name__)
                return None
        return None

    def is_up(self) -> bool:
        """True when every replica answers."""
        return all(answers(url) for url in self.base_urls)
