"""Translation lookup and the Rasa NLG that uses it, with a small compiled test catalog."""

import asyncio

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from rasa.core.nlg import interpolator
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

import bot.i18n
from bot.i18n import language_or_default, placeholders, translate
from components.nlg import TranslatingNLG

GREETING = "Hello {name}, how can I help?"


@pytest.fixture
def polish_catalog(tmp_path, monkeypatch):
    catalog = Catalog(locale="pl")
    catalog.add(GREETING, "Dzień dobry {name}, jak mogę pomóc?")
    catalog.add("Yes", "Tak")
    mo_dir = tmp_path / "pl" / "LC_MESSAGES"
    mo_dir.mkdir(parents=True)
    with (mo_dir / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    monkeypatch.setattr(bot.i18n, "LOCALES_DIR", tmp_path)
    bot.i18n.catalog.cache_clear()
    yield
    bot.i18n.catalog.cache_clear()


def test_unknown_languages_fall_back_to_english():
    assert language_or_default("xx") == "en"
    assert language_or_default(None) == "en"
    assert language_or_default("ur") == "ur"


def test_translate_uses_the_catalog_and_falls_back_to_the_english_text(polish_catalog):
    assert translate("Yes", "pl") == "Tak"
    assert translate("Not in the catalog", "pl") == "Not in the catalog"
    assert translate("Yes", "en") == "Yes"


def test_placeholders_are_listed_for_checking():
    assert placeholders("Call {helpline} or {name}") == ["{helpline}", "{name}"]


def test_nlg_translates_text_and_buttons_then_fills_slots(polish_catalog):
    domain = Domain.from_dict(
        {
            "slots": {
                "language": {"type": "text", "mappings": [{"type": "custom"}]},
                "name": {"type": "text", "mappings": [{"type": "custom"}]},
            },
            "responses": {
                "utter_hello": [
                    {"text": GREETING, "buttons": [{"title": "Yes", "payload": "/affirm"}]}
                ]
            },
        }
    )
    tracker = DialogueStateTracker("test", [TextSlot("language", []), TextSlot("name", [])])
    tracker.slots["language"].value = "pl"
    tracker.slots["name"].value = "Ala"
    nlg = TranslatingNLG(endpoint_config=None, domain=domain)
    response = asyncio.run(nlg.generate("utter_hello", tracker, "rest"))
    assert response["text"] == "Dzień dobry Ala, jak mogę pomóc?"
    assert response["buttons"][0]["title"] == "Tak"


def test_nlg_leaves_json_payloads_alone_without_logging_an_error(monkeypatch):
    payload = '/inform{"district": "Watford"}'
    domain = Domain.from_dict(
        {"responses": {"utter_where": [{"text": "Where?", "buttons": [{"title": "Watford",
                                                                         "payload": payload}]}]}}
    )  # fmt: skip
    errors = []
    monkeypatch.setattr(interpolator.structlogger, "exception", lambda *a, **k: errors.append(a))
    nlg = TranslatingNLG(endpoint_config=None, domain=domain)
    tracker = DialogueStateTracker("t", [TextSlot("name", [], initial_value="Ala")])
    response = asyncio.run(nlg.generate("utter_where", tracker, "rest"))
    assert response["buttons"] == [{"title": "Watford", "payload": payload}]
    assert not errors
