"""Talk to Rasa's REST channel on loopback."""

from __future__ import annotations

import logging

import requests

from safety.replies import Reply

log = logging.getLogger(__name__)


def reply_from_rasa(message: dict) -> Reply:
    """Turn one REST channel message into a :class:`Reply` (a custom-only one is a marker)."""
    custom = message.get("custom") or {}
    buttons = tuple(
        {"title": b["title"], "payload": b["payload"]} for b in message.get("buttons") or ()
    )
    return Reply(text=message.get("text") or "", buttons=buttons, kind=custom.get("kind"))


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.timeout = timeout

    def send(self, sender: str, text: str) -> list[Reply] | None:
        """The bot's replies to ``text``, or None when Rasa cannot be reached."""
        try:
            response = requests.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=self.timeout,
            )
            response.raise_for_status()
            return [reply_from_rasa(m) for m in response.json()]
        except (requests.RequestException, ValueError) as error:
            # The error type only: the request body holds the person's words.
            log.warning("Rasa did not answer: %s", type(error).__name__)
            return None

    def is_up(self) -> bool:
        try:
            return requests.get(self.base_url, timeout=2).ok
        except requests.RequestException:
            return False
