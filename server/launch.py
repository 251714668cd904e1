"""Run the whole service with one command: action server, Rasa server, web server, SMS worker.

Builds the directory database and trains a model first when they are missing or older than
their sources. Rasa and the action server listen on 127.0.0.1 only; the web server is the one
public port. The SMS worker sends text-me-later messages at their time. A process that stops
is restarted. Ctrl-C (or SIGTERM) stops them all, in reverse order. With OFD_SCALE_OUT=1 Rasa
keeps conversations in Redis and OFD_RASA_PORTS can list several replicas (docs/deployment.md)."""

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

from bot import danger_training
from bot.directory import build_directory
from bot.encoder import THREADS_SETTING
from bot.freshness import is_fresh
from bot.settings import PROJECT_ROOT, Settings, load_settings
from safety import danger_model
from server.probe import answers

SEED = PROJECT_ROOT / "data" / "directory" / "services.json"
MODEL_NAME = "one-front-door"
CONFIG = PROJECT_ROOT / "config.yml"
# The model depends on its code too: our NLU components and the need model they wrap.
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data",
    "components",
    "bot/need_model.py",
    "bot/lexicon.py",
    "bot/encoder.py",
)
# Training runs alone: the sentence encoder may use every core (serving processes use one).
TRAINING_ENV = {THREADS_SETTING: str(os.cpu_count() or 1)}
READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 15
MAX_RESTARTS = 5


def child_env(settings: Settings) -> dict[str, str]:
    """Environment for every child process: settings made explicit, telemetry off."""
    env = dict(os.environ)
    env.update(
        OFD_INSTANCE_DIR=str(settings.instance_dir),
        OFD_MODELS_DIR=str(settings.models_dir),
        OFD_WEB_PORT=str(settings.web_port),
        OFD_RASA_PORTS=",".join(str(port) for port in settings.rasa_ports),
        OFD_SCALE_OUT="1" if settings.scale_out else "0",
        OFD_REDIS_HOST=settings.redis_host,
        OFD_REDIS_PORT=str(settings.redis_port),
        OFD_REDIS_DB=str(settings.redis_db),
        OFD_CONVERSATION_TTL_S=str(settings.conversation_ttl_s),
        OFD_ACTIONS_PORT=str(settings.actions_port),
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",  # no requests to third parties
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def ensure_directory(settings: Settings) -> None:
    """Build the directory database if it is missing or older than its data or its code."""
    db = settings.directory_db
    sources = [SEED.parent, *(PROJECT_ROOT / "bot" / "directory").glob("*.py")]
    if not is_fresh(db, sources):
        count = build_directory(SEED, db)
        print(f"Built the service directory: {count} verified services.", flush=True)


def model_path(settings: Settings) -> Path:
    return settings.models_dir / f"{MODEL_NAME}.tar.gz"


def ensure_detector(settings: Settings, env: dict[str, str]) -> Path:
    """Train the learned danger detector if it is missing or stale, in a process of its own
    that may use every core (the launcher stays small: scikit-learn is never loaded here)."""
    if not danger_training.is_trained(settings.models_dir):
        subprocess.run([sys.executable, "-m", "bot.danger_training"], cwd=PROJECT_ROOT,
                       env={**env, **TRAINING_ENV}, check=True)  # fmt: skip
    return danger_model.path_in(settings.models_dir)


def ensure_model(settings: Settings, env: dict[str, str]) -> Path:
    """Train a model if there is none or the training data changed since it was trained;
    first the danger detector beside it, which the model's danger guard loads."""
    ensure_detector(settings, env)
    model = model_path(settings)
    if is_fresh(model, [PROJECT_ROOT / p for p in TRAINING_INPUTS]):
        return model
    print("Training the Rasa model...", flush=True)
    return train_model(settings, env)


def train_model(settings: Settings, env: dict[str, str], config: Path = CONFIG) -> Path:
    """Train with ``config`` on the project's data into the settings' model path."""
    model = model_path(settings)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    # Train into a scratch folder and move the model in whole, so a server or a second
    # training never sees half a file.
    with tempfile.TemporaryDirectory(dir=settings.models_dir) as scratch:
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--config", str(config), "--out", scratch,
             "--fixed-model-name", MODEL_NAME],
            cwd=PROJECT_ROOT, env={**env, **TRAINING_ENV, "RASA_CACHE_DIRECTORY": scratch},
            check=True,
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


class Service:
    """The service's processes: started together, restarted if one stops, stopped in reverse."""

    def __init__(self, settings: Settings) -> None:
        if len(settings.rasa_ports) > 1 and not settings.scale_out:
            raise ValueError("Several Rasa replicas need OFD_SCALE_OUT=1 to share conversations.")
        self.settings = settings
        self.env = child_env(settings)
        self.commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.processes: dict[str, subprocess.Popen] = {}
        self.restarts: dict[str, int] = {}

    def start(self, model: Path) -> None:
        s, py = self.settings, sys.executable
        endpoints = s.rasa_endpoints or (
            "endpoints.scale-out.yml" if s.scale_out else "endpoints.yml"
        )
        self.commands["actions"] = (
            [py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(s.actions_port)],
            {**self.env, "SANIC_HOST": "127.0.0.1"},
        )
        for replica, port in enumerate(s.rasa_ports, start=1):
            self.commands[f"rasa-{replica}"] = (
                [py, "-m", "rasa", "run", "--interface", "127.0.0.1", "--port", str(port),
                 "--model", str(model), "--credentials", "credentials.yml",
                 "--endpoints", endpoints],
                self.env,
            )  # fmt: skip
        self.commands["web"] = ([py, "-m", "server.web"], self.env)
        self.commands["sms_worker"] = ([py, "-m", "server.sms_worker"], self.env)
        for name in self.commands:
            self._launch(name)

    def _launch(self, name: str) -> None:
        cmd, env = self.commands[name]
        self.processes[name] = _start(cmd, env)

    def wait_ready(self) -> None:
        s = self.settings
        urls = [f"{s.actions_url}/health", *s.rasa_urls, f"http://127.0.0.1:{s.web_port}/healthz"]
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not all(answers(u) for u in urls):
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"The {name} process stopped (exit code {proc.returncode}).")
            if time.monotonic() > deadline:
                raise TimeoutError("The service did not become ready in time.")
            time.sleep(0.5)

    def supervise(self) -> None:
        """Restart a process that stopped; give up on one that keeps stopping."""
        for name, proc in self.processes.items():
            if proc.poll() is None:
                continue
            self.restarts[name] = self.restarts.get(name, 0) + 1
            if self.restarts[name] > MAX_RESTARTS:
                raise RuntimeError(f"The {name} process keeps stopping (exit {proc.returncode}).")
            print(f"The {name} process stopped (exit {proc.returncode}); restarting.", flush=True)
            self._launch(name)

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
    # Installed explicitly: a launcher started in the background inherits SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise_keyboard_interrupt)
    try:
        service = Service(settings)
    except ValueError as error:
        print(f"One Front Door could not run: {error}", file=sys.stderr, flush=True)
        return 2
    try:
        ensure_directory(settings)
        model = ensure_model(settings, service.env)
        service.start(model)
        service.wait_ready()
        print(f"One Front Door is ready: http://localhost:{settings.web_port}/", flush=True)
        while True:
            service.supervise()
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
