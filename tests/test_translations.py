"""Every message a person can read has a translation in every catalog, placeholders intact."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR, placeholders
from bot.settings import PROJECT_ROOT

TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})


def source_messages() -> set[str]:
    """Message ids extracted from the code and domain now, as `make translations` does."""
    with (PROJECT_ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(PROJECT_ROOT, method_map, options_map)
    }


def catalog(code: str):
    path = LOCALES_DIR / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def messages() -> set[str]:
    found = source_messages()
    assert len(found) > 50  # the extraction itself works
    return found


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_has_a_translation(code, messages):
    translated = {m.id for m in catalog(code) if m.id and m.string and not m.fuzzy}
    assert sorted(messages - translated) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code):
    broken = [
        m.id
        for m in catalog(code)
        if m.id and m.string and placeholders(m.id) != placeholders(m.string)
    ]
    assert broken == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalog_says_it_is_a_draft_until_reviewed(code):
    header = catalog(code).header_comment
    assert "DRAFT" in header and "native speaker" in header


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogs_are_compiled_by_the_set_up(code):
    assert Path(LOCALES_DIR / code / "LC_MESSAGES" / "messages.mo").exists()
