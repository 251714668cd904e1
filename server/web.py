"""Serve the web app with waitress (a production WSGI server) on the public port."""

from __future__ import annotations

import logging

from waitress import serve

from bot.settings import load_settings
from server import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = load_settings()
    # Chat turns beyond the few Rasa takes at once wait in their thread (server/rasa_client.py);
    # enough threads are left for the pages, the advisor console and health checks meanwhile.
    serve(create_app(settings), host=settings.web_host, port=settings.web_port, threads=16)


if __name__ == "__main__":
    main()
