"""The web server: chat page, JSON chat API, health check and the advisor console (app factory)."""

from __future__ import annotations

import os
import secrets

from flask import Flask

from bot.contact import front_door
from bot.referrals.contact_settings import contact_env
from bot.settings import Settings, load_settings
from safety import danger_model
from server.rasa_client import RasaClient


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> Flask:
    """Build the web app. ``rasa`` defaults to a client for the local Rasa server."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        # A random key per process when none is configured: sessions end with the process.
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=os.environ.get("OFD_SECURE_COOKIES") == "1",
        MAX_CONTENT_LENGTH=16 * 1024,
    )
    app.extensions["ofd"] = {
        "settings": settings,
        "rasa": rasa or RasaClient(settings.rasa_urls),
        # The learned danger detector, loaded for the first turn the bot does not answer
        # (server/conversation.danger_in): most processes never need it.
        "danger_detector": danger_model.path_in(settings.models_dir),
        # Contact details an admin saved in the advisor console override the environment.
        "front_door": front_door(
            settings.directory_db, contact_env(os.environ, settings.referrals_db)
        ),
    }

    from server import (
        advisor,
        callback,
        chat,
        errors,
        handoff,
        headers,
        health,
        language,
        privacy,
        professionals,
        sms,
    )

    app.register_blueprint(chat.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(professionals.bp)
    sms.init_app(app)
    app.register_blueprint(handoff.bp)
    advisor.init_app(app)
    callback.init_app(app)
    privacy.init_app(app)
    language.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    return app
