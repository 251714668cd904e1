"""GET /healthz: is the web server up, and do Rasa and the action server answer?"""

from __future__ import annotations

from flask import Blueprint, current_app

from server.probe import answers

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict, int]:
    ofd = current_app.extensions["ofd"]
    checks = {
        "web": True,
        "rasa": ofd["rasa"].is_up(),
        "actions": answers(f"{ofd['settings'].actions_url}/health"),
    }
    return {"ok": all(checks.values()), **checks}, 200 if all(checks.values()) else 503
