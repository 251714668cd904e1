import pytest

from safety.input import MAX_MESSAGE_CHARS, InvalidMessage, clean_message


def test_clean_message_collapses_space_and_strips_control_characters():
    assert clean_message("  hello\u0000there \u200b\n friend ") == "hello there friend"


@pytest.mark.parametrize("raw", [None, 42, "", "   ", "\u0000\u0007", ["hi"]])
def test_clean_message_refuses_empty_or_non_text(raw):
    with pytest.raises(InvalidMessage, match="Please type a message"):
        clean_message(raw)


def test_clean_message_bounds_length_and_says_nothing_was_lost():
    assert len(clean_message("a" * MAX_MESSAGE_CHARS)) == MAX_MESSAGE_CHARS
    with pytest.raises(InvalidMessage, match="Nothing you wrote has been lost"):
        clean_message("a" * (MAX_MESSAGE_CHARS + 1))
