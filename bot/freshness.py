"""Is a built file (a model, a database) still newer than everything it was built from?"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def newest_mtime(paths: Iterable[Path]) -> float:
    """The latest modification time of the files in ``paths`` (folders are searched)."""
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return max(f.stat().st_mtime for f in files if "__pycache__" not in f.parts)


def is_fresh(built: Path, inputs: Iterable[Path]) -> bool:
    """True when ``built`` exists and no input changed after it was built."""
    return built.exists() and built.stat().st_mtime >= newest_mtime(inputs)
