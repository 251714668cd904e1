"""Run the whole service with one command: action server, Rasa server and web server.

Builds the directory database and trains a model first when they are missing or older than
their sources. Rasa and the action server listen on 127.0.0.1 only; the web server is the one
public port. Ctrl-C (or SIGTERM) stops all three, web server first.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bot.directory import build_directory
from bot.settings import PROJECT_ROOT, Settings, load_settings

SEED = PROJECT_ROOT / "data" / "directory" / "services.json"
MODEL_NAME = "one-front-door"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 15


def child_env(settings: Settings) -> dict[str, str]:
    """Environment for every child process: settings made explicit, telemetry off."""
    env = dict(os.environ)
    env.update(
        OFD_INSTANCE_DIR=str(settings.instance_dir),
        OFD_MODELS_DIR=str(settings.models_dir),
        OFD_WEB_PORT=str(settings.web_port),
        OFD_RASA_PORT=str(settings.rasa_port),
        OFD_ACTIONS_PORT=str(settings.actions_port),
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",  # no requests to third parties
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def _newest_mtime(paths: list[Path]) -> float:
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return max(f.stat().st_mtime for f in files)


def ensure_directory(settings: Settings) -> None:
    """Build the directory database if it is missing or older than the seed data."""
    db = settings.directory_db
    if not db.exists() or db.stat().st_mtime < SEED.stat().st_mtime:
        count = build_directory(SEED, db)
        print(f"Built the service directory: {count} verified services.", flush=True)


def model_path(settings: Settings) -> Path:
    return settings.models_dir / f"{MODEL_NAME}.tar.gz"


def ensure_model(settings: Settings, env: dict[str, str]) -> Path:
    """Train a model if there is none or the training data changed since it was trained."""
    model = model_path(settings)
    sources = [PROJECT_ROOT / p for p in TRAINING_INPUTS]
    if model.exists() and model.stat().st_mtime >= _newest_mtime(sources):
        return model
    print("Training the Rasa model...", flush=True)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    # Train into a scratch folder and move the model in whole, so a server or a second
    # training never sees half a file.
    with tempfile.TemporaryDirectory(dir=settings.models_dir) as scratch:
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--out", scratch,
             "--fixed-model-name", MODEL_NAME],
            cwd=PROJECT_ROOT, env={**env, "RASA_CACHE_DIRECTORY": scratch}, check=True,
        )  # fmt: skip
        os.replace(Path(scratch) / model.name, model)
    return model


def _die_with_parent() -> None:
    """Ask Linux to end the child if the launcher is killed outright (PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def _start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    # A new session keeps Ctrl-C away from the children: the launcher stops them in order.
    return subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, env=env, start_new_session=True, preexec_fn=_die_with_parent
    )


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


class Service:
    """The three processes, started together and stopped in reverse order."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = child_env(settings)
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, model: Path) -> None:
        s, py = self.settings, sys.executable
        self.processes["actions"] = _start(
            [py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(s.actions_port)],
            {**self.env, "SANIC_HOST": "127.0.0.1"},
        )
        self.processes["rasa"] = _start(
            [py, "-m", "rasa", "run", "--interface", "127.0.0.1", "--port", str(s.rasa_port),
             "--model", str(model), "--credentials", "credentials.yml",
             "--endpoints", "endpoints.yml"],
            self.env,
        )  # fmt: skip
        self.processes["web"] = _start([py, "-m", "server.web"], self.env)

    def wait_ready(self) -> None:
        s = self.settings
        urls = [f"{s.actions_url}/health", s.rasa_url, f"http://127.0.0.1:{s.web_port}/healthz"]
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not all(_answers(u) for u in urls):
            self.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError("The service did not become ready in time.")
            time.sleep(0.5)

    def check_alive(self) -> None:
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                raise RuntimeError(f"The {name} process stopped (exit code {proc.returncode}).")

    def stop(self) -> None:
        for proc in reversed(list(self.processes.values())):
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="build the directory and train the model if needed, then exit",
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.prepare_only:
        ensure_directory(settings)
        ensure_model(settings, child_env(settings))
        return 0
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    service = Service(settings)
    try:
        ensure_directory(settings)
        model = ensure_model(settings, service.env)
        service.start(model)
        service.wait_ready()
        print(f"One Front Door is ready: http://localhost:{settings.web_port}/", flush=True)
        while True:
            service.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("Stopping...", flush=True)
        return 0
    except (RuntimeError, TimeoutError, subprocess.CalledProcessError) as error:
        print(f"One Front Door could not run: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        service.stop()


if __name__ == "__main__":
    sys.exit(main())
