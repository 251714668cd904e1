from safety.danger import assess
from safety.replies import (
    EMERGENCY,
    EMERGENCY_TEXT,
    HELPLINE,
    SUICIDE_SUPPORT,
    UNAVAILABLE,
    Reply,
    guard_reply,
)

HELPLINE_PHRASE = "the test helpline on 0000"
CALM = assess("hello")
DANGER = assess("he is outside and trying to get in")
SUICIDAL = assess("I want to end my life")


def kinds(replies):
    return [r.kind for r in replies]


def test_emergency_guidance_mentions_999_and_silent_solution():
    assert "999" in EMERGENCY_TEXT and "55" in EMERGENCY_TEXT


def test_detected_danger_puts_emergency_first_even_when_the_bot_missed_it():
    replies = guard_reply(DANGER, [Reply("Tell me more.")], HELPLINE_PHRASE)
    assert kinds(replies) == [EMERGENCY, None]
    assert replies[0].text == EMERGENCY_TEXT


def test_bot_marker_alone_produces_the_emergency_text_once():
    replies = guard_reply(CALM, [Reply(kind=EMERGENCY), Reply("Services...")], HELPLINE_PHRASE)
    assert kinds(replies) == [EMERGENCY, None]


def test_detector_and_bot_together_still_show_it_once():
    replies = guard_reply(DANGER, [Reply(kind=EMERGENCY), Reply("Services...")], HELPLINE_PHRASE)
    assert kinds(replies).count(EMERGENCY) == 1


def test_rasa_down_still_answers_danger_and_gives_the_helpline():
    replies = guard_reply(DANGER, None, HELPLINE_PHRASE)
    assert kinds(replies) == [EMERGENCY, UNAVAILABLE]
    assert HELPLINE_PHRASE in replies[1].text


def test_bot_with_nothing_to_say_still_answers():
    assert kinds(guard_reply(CALM, [], HELPLINE_PHRASE)) == [UNAVAILABLE]


def test_suicidal_feelings_get_samaritans():
    replies = guard_reply(SUICIDAL, [Reply("I'm here.")], HELPLINE_PHRASE)
    assert kinds(replies)[0] == SUICIDE_SUPPORT
    assert "116 123" in replies[0].text


def test_calm_message_passes_through_unchanged():
    said = [Reply("Hello.", buttons=({"title": "Yes", "payload": "/affirm"},))]
    assert guard_reply(CALM, said, HELPLINE_PHRASE) == said


def test_safety_messages_come_in_the_persons_language():
    def to_test_language(text):
        return f"[xx] {text}"

    replies = guard_reply(DANGER, None, HELPLINE_PHRASE, translate=to_test_language)
    assert replies[0].text == f"[xx] {EMERGENCY_TEXT}"
    assert replies[1].text.startswith("[xx] ")
    assert HELPLINE_PHRASE in replies[1].text  # filled in after translation, so it is intact


def test_a_helpline_marker_becomes_the_helpline_in_words():
    replies = guard_reply(
        CALM, [Reply("I can help with that."), Reply(kind=HELPLINE)], HELPLINE_PHRASE
    )
    assert [r.text for r in replies] == [
        "I can help with that.",
        f"If you would like to talk to a person, you can call {HELPLINE_PHRASE}.",
    ]
