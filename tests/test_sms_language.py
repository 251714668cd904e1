"""SMS in the person's language: chosen in the chat, kept for the conversation, used for the
safety messages, keyword answers and numbered choices (real catalogs)."""

from __future__ import annotations

from bot.i18n import translate
from safety import sms
from safety.replies import EMERGENCY_TEXT, Reply
from tests.test_sms_webhook import inbound, texts, twilio_env  # noqa: F401 - fixture

POLISH_CHOICE = [Reply(kind="language", language="pl"), Reply(text="(po polsku)")]


def test_a_language_chosen_by_text_is_used_for_the_rest_of_the_conversation(client, stand_in_rasa):
    stand_in_rasa.replies = POLISH_CHOICE
    assert texts(inbound(client, "po polsku", sid="SM1")) == ["(po polsku)"]

    stand_in_rasa.replies = None  # Rasa is down: the safety guard still answers, in Polish
    danger = texts(inbound(client, "jestem w niebezpieczeństwie", sid="SM2"))
    assert translate(EMERGENCY_TEXT, "pl") != EMERGENCY_TEXT  # the catalog has it
    assert danger[0].startswith(translate(EMERGENCY_TEXT, "pl")[:40])

    # A long answer may come as several texts: compare the words, in order.
    help_text = " ".join(texts(inbound(client, "HELP", sid="SM3")))
    polish = sms.keyword_text(sms.Keyword.HELP, "08 088 088 088", lambda t: translate(t, "pl"))
    assert translate(sms.HELP_TEXT, "pl") != sms.HELP_TEXT  # the catalog has it
    assert help_text.split() == sms.plain_text(polish).split()
    assert "STOP" in help_text and "EXIT" in help_text  # keywords stay as they must be typed


def test_numbered_choices_are_in_the_conversation_language(client, stand_in_rasa):
    stand_in_rasa.replies = POLISH_CHOICE
    inbound(client, "po polsku", sid="SM4")
    stand_in_rasa.replies = [Reply(text="?", buttons=({"title": "Tak", "payload": "/affirm"},))]
    [message] = texts(inbound(client, "cześć", sid="SM5"))
    polish = sms.numbered_choices(["Tak"], lambda t: translate(t, "pl"))
    assert message.endswith(sms.plain_text(polish))  # typographic dashes sent as plain ones
    assert "Reply" not in message


def test_texts_in_urdu_are_split_by_the_shorter_ucs2_limit(client, stand_in_rasa):
    stand_in_rasa.replies = [Reply(kind="language", language="ur"), Reply(text="ٹھیک ہے")]
    inbound(client, "اردو", sid="SM6")
    stand_in_rasa.replies = [Reply(text="ٹھیک ہے " * 60)]  # about 480 characters
    messages = texts(inbound(client, "میں خطرے میں ہوں", sid="SM7"))
    assert messages[0].startswith(translate(EMERGENCY_TEXT, "ur")[:30])
    assert all(not sms.is_gsm7(m) and sms.fits(m) for m in messages)
