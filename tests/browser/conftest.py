"""Real-browser fixtures: the web app (with a stand-in Rasa) served by waitress on a free
loopback port, and Debian's chromium driven by Playwright.

Nothing may reach the internet: every request to another origin is recorded and refused,
except the quick-exit destination, which is answered locally so the exit can be observed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Route, sync_playwright
from waitress import create_server

from server import create_app
from server.privacy import DEFAULT_EXIT_URL
from tests.conftest import StandInRasa, settings_for_tests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# A page the person was on before the chat, answered locally like the exit destination.
BEFORE_URL = "https://search.example/results"
ELSEWHERE = "<!doctype html><title>Elsewhere</title><p>Elsewhere</p>"


@dataclass
class LiveApp:
    url: str
    rasa: StandInRasa
    app: Flask  # for looking at what the server kept


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, seeded_directory: Path) -> Iterator[LiveApp]:
    tmp_path = tmp_path_factory.mktemp("browser")
    settings = settings_for_tests(tmp_path)
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    rasa = StandInRasa()
    twilio = {
        "OFD_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "OFD_TWILIO_AUTH_TOKEN": "browser-test-token",
        "OFD_TWILIO_FROM": "+447700900999",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in twilio.items():
            patch.setenv(name, value)
        app = create_app(settings, rasa=rasa)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield LiveApp(f"http://127.0.0.1:{server.effective_port}", rasa, app)
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """Every request the page made, and those that tried to leave for another origin."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def answer(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/"):
            route.continue_()
        elif url.startswith((DEFAULT_EXIT_URL, BEFORE_URL)):
            route.fulfill(status=200, content_type="text/html", body=ELSEWHERE)
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def before_url() -> str:
    return BEFORE_URL


@pytest.fixture
def traffic(live_app: LiveApp) -> Traffic:
    return Traffic(live_app.url)


def _open(browser: Browser, live_app: LiveApp, traffic: Traffic, **options) -> Iterator[Page]:
    live_app.rasa.sent.clear()
    live_app.rasa.replies = [StandInRasa().replies[0]]
    context = browser.new_context(**options)
    context.route("**/*", traffic.answer)
    page = context.new_page()
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on(
        "console", lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None
    )
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser, live_app: LiveApp, traffic: Traffic) -> Iterator[Page]:
    yield from _open(browser, live_app, traffic)


@pytest.fixture
def page_without_js(browser: Browser, live_app: LiveApp, traffic: Traffic) -> Iterator[Page]:
    yield from _open(browser, live_app, traffic, java_script_enabled=False)
