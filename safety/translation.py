"""How safety code marks English text for translation without depending on the catalogs.

Text is marked with :func:`N_` so ``make translations`` extracts it; whoever shows it to the
person passes a :data:`Translate` function for that person's language (``bot.i18n`` on the
web and SMS channels).
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]


def N_(text: str) -> str:
    """Mark English text for the translation catalogs."""
    return text


def untranslated(text: str) -> str:
    return text
