"""SMS safety logic: numbers, keyed hashes, keywords, fitting replies into SMS, wording."""

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from safety import sms
from safety.replies import EMERGENCY_TEXT
from safety.sms_state import SmsState

NUMBER = "+447700900123"  # Ofcom's range for drama: never a real person's number
KEY = b"k" * 32
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "typed",
    ["07700 900123", "07700-900-123", "+44 7700 900123", "0044 7700 900123", "447700900123"],
)
def test_uk_mobiles_in_any_usual_form_become_e164(typed):
    assert sms.uk_mobile_e164(typed) == NUMBER


@pytest.mark.parametrize(
    "typed",
    ["01707 123456", "0770090012", "077009001234", "07012 345678", "07612 345678", "", "abc"],
)
def test_landlines_short_numbers_and_non_mobiles_get_a_kind_message(typed):
    with pytest.raises(sms.InvalidNumber, match="UK mobile"):
        sms.uk_mobile_e164(typed)


def test_isle_of_man_mobiles_are_mobiles():
    assert sms.uk_mobile_e164("07624 123456") == "+447624123456"


def test_number_hash_is_stable_keyed_and_hides_the_number():
    first, again = sms.number_key(NUMBER, KEY), sms.number_key(NUMBER, KEY)
    assert first == again
    assert sms.number_key(NUMBER, b"another key") != first
    assert sms.number_key("+447700900124", KEY) != first
    conversation = sms.conversation_id(NUMBER, KEY)
    assert conversation.startswith("sms-") and "7700900123" not in conversation


@pytest.mark.parametrize(
    "text, word",
    [("STOP", sms.Keyword.STOP), (" stop. ", sms.Keyword.STOP), ("Unsubscribe", sms.Keyword.STOP),
     ("exit", sms.Keyword.EXIT), ("Help!", sms.Keyword.HELP), ("start", sms.Keyword.START)],
)  # fmt: skip
def test_keywords_are_whole_messages_in_any_case(text, word):
    assert sms.keyword(text) is word


@pytest.mark.parametrize("text", ["help me now", "please stop him", "exit the house", "yes"])
def test_words_inside_a_sentence_go_to_the_bot(text):
    assert sms.keyword(text) is None


def test_segment_counts_follow_gsm7_and_ucs2_limits():
    assert sms.segments("a" * 160) == 1
    assert sms.segments("a" * 161) == 2
    assert sms.segments("a" * 306) == 2 and sms.segments("a" * 307) == 3
    assert sms.segments("€" * 80) == 1 and sms.segments("€" * 81) == 2  # two septets each
    assert sms.segments("ł" * 70) == 1 and sms.segments("ł" * 71) == 2  # UCS-2
    assert sms.segments("😀" * 35) == 1 and sms.segments("😀" * 36) == 2  # two UTF-16 units


def test_typographic_quotes_are_made_plain_so_texts_stay_gsm7():
    [message] = sms.fit_messages(
        ["You\u2019re not to blame \u2014 it\u2019s \u201chis\u201d choice\u2026"]
    )
    assert message == "You're not to blame - it's \"his\" choice..."
    assert sms.is_gsm7(message)


def test_long_replies_split_at_sentence_ends_within_the_limits():
    sentences = [
        f"This is sentence number {i} of a long answer about what can happen next."
        for i in range(30)
    ]
    messages = sms.fit_messages([" ".join(sentences)], max_messages=20)
    assert len(messages) > 1
    for message in messages:
        assert sms.segments(message) <= sms.MAX_SEGMENTS and len(message) <= sms.TWILIO_MAX_BODY
        assert message.endswith(".")  # no sentence cut in half
    assert " ".join(messages) == " ".join(sentences)


def test_a_sentence_longer_than_a_message_is_cut_between_words():
    text = " ".join(["word"] * 400)
    messages = sms.fit_messages([text], max_messages=20)
    assert all(sms.fits(m) for m in messages)
    assert " ".join(messages).split() == text.split()


def test_short_replies_share_a_message_and_keep_their_order():
    messages = sms.fit_messages([EMERGENCY_TEXT, "Tell me more.", "Or call us."])
    assert messages[0].startswith("If you are in danger now, call 999")
    assert messages[-1].endswith("Tell me more.\n\nOr call us.")


def test_too_many_messages_drops_the_end_never_the_start():
    messages = sms.fit_messages([EMERGENCY_TEXT] + ["x " * 200] * 10)
    assert len(messages) == sms.MAX_MESSAGES
    assert messages[0].startswith("If you are in danger now")


def test_buttons_become_numbered_choices():
    assert sms.numbered_choices(["Yes", "No"]) == "Reply 1 for Yes, 2 for No."


def test_the_handoff_text_is_neutral_and_carries_the_way_to_help():
    text = sms.handoff_text("08 088 088 088 (freephone; not shown on phone bill)")
    assert sms.giveaways(text) == []
    assert "08 088 088 088" in text and "999" in text
    assert sms.fits(text, max_segments=2)


def test_giveaway_words_are_caught():
    assert sms.giveaways("Call the Domestic Abuse Helpline") == ["abuse", "domestic", "helpline"]


def test_keyword_replies_are_neutral_too():
    for text in (sms.keyword_text(word, "0800") for word in sms.Keyword):
        assert sms.giveaways(text) == [], text
        assert sms.fits(text)


def test_send_window_for_soon_and_for_a_time_of_day():
    now = datetime(2026, 11, 23, 18, 0, tzinfo=LONDON)
    assert sms.send_window("soon", now) == (now, now + sms.SAFE_WINDOW)
    start, latest = sms.send_window("19:30", now)
    assert (start.day, start.hour, start.minute) == (
        23,
        19,
        30,
    ) and latest - start == sms.SAFE_WINDOW
    start, _ = sms.send_window("08:15", now)
    assert (start.day, start.hour, start.minute) == (24, 8, 15)  # already past today: tomorrow


@pytest.mark.parametrize("when", ["", "24:00", "7pm", "19:60", "later"])
def test_an_unusable_time_gets_a_kind_message(when):
    with pytest.raises(sms.InvalidTime, match="choose a time"):
        sms.send_window(when, datetime(2026, 11, 23, 18, 0, tzinfo=LONDON))


def test_sms_state_sees_each_message_sid_once(tmp_path):
    state = SmsState(tmp_path / "sms.sqlite")
    assert state.first_delivery("SM1") is True
    assert state.first_delivery("SM1") is False
    assert state.first_delivery("SM2") is True
    # A day later the record is gone (Twilio never retries that late).
    assert state.first_delivery("SM3", now=10**10) is True
    assert state.first_delivery("SM1", now=10**10) is True


def test_sms_state_maps_a_number_reply_to_the_last_choices(tmp_path):
    state = SmsState(tmp_path / "sms.sqlite")
    state.set_menu("sms-a", ["/seek_support", "/immediate_danger"])
    assert state.choice("sms-a", " 2 ") == "/immediate_danger"
    assert state.choice("sms-a", "3") is None
    assert state.choice("sms-a", "two") is None
    assert state.choice("sms-b", "1") is None
    state.set_menu("sms-a", [])
    assert state.choice("sms-a", "1") is None


def test_choices_are_forgotten_after_an_hour(tmp_path):
    state = SmsState(tmp_path / "sms.sqlite")
    state.set_menu("sms-a", ["/seek_support"], now=1000.0)
    assert state.choice("sms-a", "1", now=1000.0 + 60) == "/seek_support"
    assert state.choice("sms-a", "1", now=1000.0 + 3601) is None
    state.set_menu("sms-b", ["/deny"], now=1000.0 + 3601)  # writing clears old rows out
    with sqlite3.connect(tmp_path / "sms.sqlite") as db:
        assert db.execute("SELECT conversation FROM choices").fetchall() == [("sms-b",)]


def test_opt_out_is_remembered_by_hash(tmp_path):
    state = SmsState(tmp_path / "sms.sqlite")
    key = sms.number_key(NUMBER, KEY)
    state.set_opted_out(key, True)
    assert state.is_opted_out(key)
    state.set_opted_out(key, False)
    assert not state.is_opted_out(key)


@pytest.mark.parametrize("sentence", ["یہ ایک مکمل جملہ ہے۔", "এটি একটি সম্পূর্ণ বাক্য।"])
def test_urdu_and_bengali_texts_split_at_their_own_sentence_ends(sentence):
    messages = sms.fit_messages([" ".join([sentence] * 20)])
    assert len(messages) > 1
    assert all(message.endswith(sentence[-1]) for message in messages)
