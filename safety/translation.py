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


class KindError(ValueError):
    """Something we cannot use, with a kind explanation for the person.

    The explanation is kept as an English message id and its values, so each channel can
    say it in the person's language: placeholders are filled after translating.
    """

    def __init__(self, message_id: str, **params: object) -> None:
        super().__init__(message_id.format(**params))
        self.message_id = message_id
        self.params = params

    def explain(self, translate: Translate = untranslated) -> str:
        return translate(self.message_id).format(**self.params)
