"""Leaving safely: the quick-exit destination, POST /api/forget, the safety page and the
first-visit notice."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, render_template, request, session

from server.sms import forget_conversation

bp = Blueprint("privacy", __name__)

# A busy, ordinary site: nothing about it suggests what the person was looking at before.
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


def exit_url(env=os.environ) -> str:
    url = env.get("OFD_EXIT_URL") or DEFAULT_EXIT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError("OFD_EXIT_URL must be a full http(s) address")
    return url


@bp.post("/api/forget")
def forget() -> Response:
    """Quick exit calls this on the way out: the conversation and the session are dropped."""
    if "cid" in session:
        forget_conversation(session["cid"])
    session.clear()
    response = Response(status=204)
    # The browser drops this site's cookies and storage too (in secure contexts).
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.get("/staying-safe-online")
def staying_safe() -> str:
    return render_template("staying_safe.html")


def _page_context() -> dict:
    if request.blueprint == "advisor":
        return {}  # staff pages: no quick exit, and no public session cookie
    # The notice shows on the first page of a visit, then not again in that session.
    first_visit = not session.get("notice_seen")
    if first_visit:
        session["notice_seen"] = True
    return {"exit_url": current_app.config["OFD_EXIT_URL"], "first_visit": first_visit}


def init_app(app: Flask) -> None:
    app.config["OFD_EXIT_URL"] = exit_url()
    app.context_processor(_page_context)
    app.register_blueprint(bp)
