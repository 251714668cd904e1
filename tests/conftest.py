"""Shared fixtures: a built directory, the Flask app with a stand-in Rasa client, a trained
model, and the whole service running as real processes on free loopback ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot.directory import build_directory
from bot.settings import PROJECT_ROOT, Settings, isolated_env, load_settings
from safety.replies import Reply
from server import create_app
from server.launch import SEED, child_env, ensure_detector, ensure_model

READY_TIMEOUT_S = 240


def settings_for_tests(tmp_path: Path, **overrides: str) -> Settings:
    return load_settings(isolated_env(tmp_path / "instance", **overrides))


@pytest.fixture(scope="session")
def seeded_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory database built from the real seed file (read it, don't change it)."""
    db = tmp_path_factory.mktemp("directory") / "directory.sqlite"
    build_directory(SEED, db)
    return db


class StandInRasa:
    """Stands in for the Rasa server in web-layer tests: records what it was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.replies: list[Reply] | None = [Reply(text="Hello from the stand-in.")]

    def send(self, sender: str, text: str) -> list[Reply] | None:
        self.sent.append((sender, text))
        return self.replies

    def is_up(self) -> bool:
        return self.replies is not None


@pytest.fixture
def stand_in_rasa() -> StandInRasa:
    return StandInRasa()


@pytest.fixture
def app(tmp_path: Path, seeded_directory: Path, stand_in_rasa: StandInRasa):
    settings = settings_for_tests(tmp_path)
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    app = create_app(settings, rasa=stand_in_rasa)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def danger_detector() -> Path:
    """The learned danger detector, trained once if missing or stale (as `make run` would)."""
    settings = load_settings()
    return ensure_detector(settings, child_env(settings))


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained once if missing or stale (as `make run` would)."""
    settings = load_settings()
    return ensure_model(settings, child_env(settings))


@dataclass
class RunningService:
    settings: Settings
    process: subprocess.Popen
    log_path: Path

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    def chat(self, message: str, session: requests.Session | None = None) -> dict:
        response = (session or requests).post(
            f"{self.web_url}/api/chat", json={"message": message}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_service(tmp_path: Path, trained_model: Path, **env: str) -> RunningService:
    """Run `python -m server.launch` (the `make run` entry point) on free ports."""
    settings = settings_for_tests(tmp_path, OFD_MODELS_DIR=str(trained_model.parent), **env)
    log_path = tmp_path / "service.log"
    process_env = {**os.environ, **child_env(settings), "OFD_WEB_HOST": "127.0.0.1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.launch"],
            cwd=PROJECT_ROOT,
            env=process_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    service = RunningService(settings, process, log_path)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while "One Front Door is ready" not in service.log_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"service did not start:\n{service.log_text()[-3000:]}")
        time.sleep(0.5)
    return service


def stop_service(service: RunningService) -> int:
    service.process.send_signal(signal.SIGINT)
    return service.process.wait(timeout=60)


@pytest.fixture(scope="session")
def running_service(
    tmp_path_factory: pytest.TempPathFactory, trained_model: Path
) -> Iterator[RunningService]:
    service = start_service(tmp_path_factory.mktemp("service"), trained_model)
    yield service
    if service.process.poll() is None:
        stop_service(service)
