"""Rasa NLG that answers in the person's language (loaded through endpoints.yml ``nlg.type``).

Each response's text and button titles are looked up in the Babel catalogs by the ``language``
slot before slot values are filled in, so ``{placeholders}`` stay intact through translation.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from bot.i18n import translate
from bot.triage import SLOT_LANGUAGE


class TranslatingNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Domain) -> None:
        super().__init__(domain.responses)

    def _fill_response(
        self,
        response: dict[str, Any],
        filled_slots: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        language = (filled_slots or {}).get(SLOT_LANGUAGE)
        if response.get("text"):
            response["text"] = translate(response["text"], language)
        buttons = response.get("buttons") or []
        for button in buttons:
            button["title"] = translate(button["title"], language)
        # Payloads such as '/inform{"district": "Watford"}' hold JSON, not slot placeholders:
        # Rasa would try to fill them, fail, and log a stack trace on every such question.
        payloads = [button.pop("payload", None) for button in buttons]
        filled = super()._fill_response(response, filled_slots, **kwargs)
        for button, payload in zip(filled.get("buttons") or [], payloads, strict=True):
            if payload is not None:
                button["payload"] = payload
        return filled
