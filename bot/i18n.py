"""Languages and translation catalogs (Babel/gettext) for everything a person reads.

English is the source language: message ids are the English text. Catalogs live in
``locales/<code>/LC_MESSAGES/messages.po`` and are compiled to ``.mo`` files by the set-up
(``make`` compiles them whenever a ``.po`` file changes). A language whose compiled catalog is
missing falls back to English rather than failing: a person always gets an answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import yaml
from babel.support import NullTranslations, Translations

from bot.settings import PROJECT_ROOT
from safety.replies import Reply

LOCALES_DIR = PROJECT_ROOT / "locales"
CATALOG_DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
LANGUAGE_MARKER = "language"  # the kind of the bot's marker reply when a language is chosen
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]")  # Rasa and Python, Jinja


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # the language's name for itself
    direction: str  # "ltr" or "rtl"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "ltr"),
        Language("pl", "Polski", "ltr"),
        Language("ro", "Română", "ltr"),
        Language("ur", "اردو", "rtl"),
        Language("bn", "বাংলা", "ltr"),
    )
}


def language_or_default(code: object) -> str:
    """``code`` if it is a supported language, otherwise English."""
    return code if isinstance(code, str) and code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(code: str) -> NullTranslations:
    """The compiled catalog for ``code`` (an empty one for English or when not compiled)."""
    if code == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [code], CATALOG_DOMAIN)


def translate(text: str, code: str | None) -> str:
    """``text`` (an English message id) in language ``code``."""
    return catalog(language_or_default(code)).gettext(text) if text else text


def take_language_choice(replies: list[Reply]) -> tuple[list[Reply], str | None]:
    """Split the bot's language markers off its replies: (replies to show, language chosen).

    A marker naming a language we do not support chooses nothing.
    """
    chosen = [r.language for r in replies if r.kind == LANGUAGE_MARKER and r.language in LANGUAGES]
    shown = [r for r in replies if r.kind != LANGUAGE_MARKER]
    return shown, (chosen[-1] if chosen else None)


def placeholders(text: str) -> list[str]:
    """The ``{placeholders}`` in ``text``, in order, so translations can be checked."""
    return sorted(PLACEHOLDER.findall(text))


def extract_domain_responses(fileobj, keywords, comment_tags, options):
    """Babel extractor for a Rasa domain: every response text and button title.

    Babel calls it for ``domain.yml`` (see ``babel.cfg``) and expects
    ``(line, function, message, comments)`` tuples.
    """
    domain = yaml.safe_load(fileobj) or {}
    for name, variations in (domain.get("responses") or {}).items():
        for variation in variations:
            if variation.get("text"):
                yield 0, None, variation["text"], [f"response {name}"]
            for button in variation.get("buttons") or ():
                yield 0, None, button["title"], [f"button in {name}"]


TAXONOMY_SECTIONS_SHOWN_IN_CHAT = ("needs", "audience", "access")


def extract_taxonomy_texts(fileobj, keywords, comment_tags, options):
    """Babel extractor for the directory taxonomy: the words the chat shows from it.

    Term labels appear in the reasons beside each service; the public guidance and the
    advocate-route reason are shown to survivors. Professionals' wording stays English.
    """
    taxonomy = json.load(fileobj)
    for section in TAXONOMY_SECTIONS_SHOWN_IN_CHAT:
        for term in taxonomy[section]["terms"]:
            yield 0, None, term["label"], [f"taxonomy {section}: {term['id']}"]
    for tier in taxonomy["risk_tiers"]["terms"]:
        if "public" in tier["guidance"]:
            yield 0, None, tier["guidance"]["public"], [f"guidance for {tier['id']} risk"]
    yield 0, None, taxonomy["risk_routes"]["reason"]["public"], ["reason: route to an advocate"]
