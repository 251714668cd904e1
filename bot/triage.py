"""Which directory need a recognised intent points to."""

from __future__ import annotations

# Need names are the directory's own vocabulary (data/directory/services.json).
NEED_FOR_INTENT: dict[str, str] = {
    "seek_support": "advocacy_safety_planning",
    "immediate_danger": "immediate_danger",
}
DEFAULT_NEED = "advocacy_safety_planning"


def need_for_intent(intent: str | None) -> str:
    """The directory need for ``intent``; general support when the intent names no need."""
    return NEED_FOR_INTENT.get(intent or "", DEFAULT_NEED)
