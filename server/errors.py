"""Kind answers for requests we cannot handle, as JSON for the API and as a page otherwise."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from safety.translation import N_
from server.language import translator

MESSAGES = {
    404: N_("Sorry, we couldn't find that page."),
    405: N_("Sorry, that didn't work. Please go back and try again."),
    413: N_("That message is too long for me. Could you send it in shorter parts?"),
}
DEFAULT_MESSAGE = N_("Sorry, something went wrong on our side. Please try again in a moment.")


def _handle(error: Exception) -> tuple[object, int]:
    code = error.code if isinstance(error, HTTPException) and error.code else 500
    message = translator()(MESSAGES.get(code, DEFAULT_MESSAGE))
    if request.path.startswith("/api/"):
        return {"error": message}, code
    return render_template("error.html", message=message), code


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle)
    app.register_error_handler(Exception, _handle)
