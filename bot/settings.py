"""Run-time settings: embedded defaults, each overridable by an environment variable.

One place for paths and ports so the launcher, the web server, the action server and the
tests agree without passing values around.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    instance_dir: Path
    models_dir: Path
    web_host: str
    web_port: int
    rasa_ports: tuple[int, ...]  # one per Rasa replica
    actions_port: int
    secret_key: str | None
    scale_out: bool  # Rasa keeps conversations and locks in Redis, so replicas can share them
    redis_host: str
    redis_port: int
    redis_db: int
    conversation_ttl_s: int  # Redis deletes a conversation this long after its last turn
    referral_retention_days: int  # referrals (and their audit detail) are purged after this
    rasa_endpoints: str | None  # Rasa's endpoints file; None: endpoints.yml, or the scale-out one

    @property
    def referrals_db(self) -> Path:
        return self.instance_dir / "referrals.sqlite"

    @property
    def directory_db(self) -> Path:
        return self.instance_dir / "directory.sqlite"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    return Settings(
        instance_dir=Path(env.get("OFD_INSTANCE_DIR", PROJECT_ROOT / "instance")),
        models_dir=Path(env.get("OFD_MODELS_DIR", PROJECT_ROOT / "models")),
        web_host=env.get("OFD_WEB_HOST", "0.0.0.0"),
        web_port=int(env.get("OFD_WEB_PORT", "8000")),
        rasa_ports=tuple(
            int(port)
            for port in env.get("OFD_RASA_PORTS", env.get("OFD_RASA_PORT", "5005")).split(",")
        ),
        actions_port=int(env.get("OFD_ACTIONS_PORT", "5055")),
        secret_key=env.get("OFD_SECRET_KEY"),
        scale_out=env.get("OFD_SCALE_OUT") == "1",
        redis_host=env.get("OFD_REDIS_HOST", "127.0.0.1"),
        redis_port=int(env.get("OFD_REDIS_PORT", "6379")),
        redis_db=int(env.get("OFD_REDIS_DB", "0")),
        conversation_ttl_s=int(env.get("OFD_CONVERSATION_TTL_S", "3600")),
        referral_retention_days=int(env.get("OFD_REFERRAL_RETENTION_DAYS", "30")),
        rasa_endpoints=env.get("OFD_RASA_ENDPOINTS") or None,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(instance_dir: Path, **overrides: str) -> dict[str, str]:
    """Settings for a private instance on free loopback ports (tests and benchmarks)."""
    return {
        "OFD_INSTANCE_DIR": str(instance_dir),
        "OFD_WEB_HOST": "127.0.0.1",
        "OFD_WEB_PORT": str(free_port()),
        "OFD_RASA_PORT": str(free_port()),
        "OFD_ACTIONS_PORT": str(free_port()),
        **overrides,
    }
