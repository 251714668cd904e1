"""GET /healthz: is the web server up, and do Rasa and the action server answer?"""

from __future__ import annotations

import requests
from flask import Blueprint, current_app

bp = Blueprint("health", __name__)


def _actions_up(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", timeout=2).ok
    except requests.RequestException:
        return False


@bp.get("/healthz")
def healthz() -> tuple[dict, int]:
    ofd = current_app.extensions["ofd"]
    checks = {
        "web": True,
        "rasa": ofd["rasa"].is_up(),
        "actions": _actions_up(ofd["settings"].actions_url),
    }
    return {"ok": all(checks.values()), **checks}, 200 if all(checks.values()) else 503
