"""Free text in each supported language reaches greeting, wanting help, needing somewhere safe
to stay and choosing a language, with the trained model (phrasings not in the training data)."""

import asyncio

import pytest

from bot.classify import quiet_rasa

pytestmark = pytest.mark.rasa

EXPECTED = {
    "greet": ["dzien dobry", "witam serdecznie", "salut, bună", "ہیلو، السلام علیکم", "হ্যালো নমস্কার"],
    "advocacy_safety": [
        "proszę o pomoc",
        "vă rog, am nevoie de ajutor",
        "براہ کرم مجھے مدد چاہیے",
        "দয়া করে আমার সাহায্য দরকার",
    ],
    "safe_accommodation": [
        "muszę uciec z domu, nie mam gdzie spać",
        "trebuie să plec de acasă, nu am unde să dorm",
        "مجھے آج رات رہنے کے لیے جگہ چاہیے",
        "আজ রাতে থাকার জায়গা দরকার",
    ],
}
CHOICES = {
    "mówisz po polsku?": "pl",
    "vorbiți în română?": "ro",
    "urdu mein baat karein": "ur",
    "اردو میں بات کریں": "ur",
    "বাংলায় বলুন": "bn",
    "English please": "en",
}


@pytest.fixture(scope="module")
def parse(trained_model):
    quiet_rasa()
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))
    return lambda text: asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize(
    ("intent", "text"), [(i, t) for i, texts in EXPECTED.items() for t in texts]
)
def test_free_text_reaches_the_intent(parse, intent, text):
    assert parse(text)["intent"]["name"] == intent


@pytest.mark.parametrize(("text", "code"), CHOICES.items())
def test_choosing_a_language_in_words(parse, text, code):
    parsed = parse(text)
    assert parsed["intent"]["name"] == "choose_language"
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("language", code)]
