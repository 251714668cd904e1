"""Is a local service up? One answer for the launcher, the health check and the Rasa client."""

from __future__ import annotations

import requests


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when a GET of ``url`` gets a success status within ``timeout`` seconds."""
    try:
        return requests.get(url, timeout=timeout).ok
    except requests.RequestException:
        return False
