"""Response headers that keep the service from leaving traces or loading anything third-party."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Only this site's own files; no inline code, no plugins, no frames, forms post home.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; frame-src 'none'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Sent only over https: tells the browser never to use plain http for this site.
HSTS = "max-age=31536000"


def posted_from_another_site() -> bool:
    """True when the browser says another site's page sent this request: such a page must not
    post our forms (a text, a callback, a referral) on someone's behalf."""
    return request.headers.get("Sec-Fetch-Site") == "cross-site"


def _add_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
