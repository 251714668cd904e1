"""Talk to Rasa's REST channel on loopback: one server, or several replicas in turn."""

from __future__ import annotations

import itertools
import logging

import requests

from safety.replies import Reply
from server.probe import answers

log = logging.getLogger(__name__)


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
    reached but did not answer in time may still be working on it.
    """

    def __init__(self, base_urls: list[str], timeout: float = 10.0) -> None:
        self.base_urls = list(base_urls)
        self.timeout = timeout
        self._turns = itertools.count()
        # Kept-alive connections to Rasa: a new TCP connection each turn costs milliseconds.
        self._http = requests.Session()
        # Rasa is on loopback: the person's words never go through a proxy named in the
        # environment, and not looking one up on each turn saves time too.
        self._http.trust_env = False

    def _in_turn(self) -> list[str]:
        start = next(self._turns) % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    def send(self, sender: str, text: str) -> list[Reply] | None:
        """The bot's replies to ``text``, or None when no replica answers."""
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
