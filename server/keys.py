"""The key that protects stored personal data (pending texts) and keys the number hashes.

Operators set ``OFD_DATA_KEY`` (a Fernet key). Without it, a key is made once and kept in the
instance folder, readable by the service's user only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.fernet import Fernet

KEY_FILE = "data.key"


def data_key(instance_dir: Path, env: Mapping[str, str] = os.environ) -> bytes:
    if env.get("OFD_DATA_KEY"):
        return env["OFD_DATA_KEY"].encode()
    path = instance_dir / KEY_FILE
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        # Write the key whole into a private file, then link it into place: a process
        # starting at the same moment sees either no key file or the complete one.
        scratch = instance_dir / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(Fernet.generate_key())
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass  # another process won; use its key
        finally:
            scratch.unlink()
    return path.read_bytes().strip()


def fernet(instance_dir: Path, env: Mapping[str, str] = os.environ) -> Fernet:
    return Fernet(data_key(instance_dir, env))


def hash_key(instance_dir: Path, env: Mapping[str, str] = os.environ) -> bytes:
    """A separate key for number hashes, derived so one secret is enough to configure."""
    raw = base64.urlsafe_b64decode(data_key(instance_dir, env))
    return hmac.new(raw, b"one-front-door phone number hash", hashlib.sha256).digest()
