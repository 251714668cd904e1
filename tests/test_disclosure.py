"""Gathering what a whole conversation disclosed (bot/disclosure.py)."""

from bot.disclosure import UserMessage, gather


def district(value: str) -> dict:
    return {"entity": "district", "value": value}


def test_places_facts_and_indicators_add_up_over_messages():
    result = gather(
        [
            UserMessage(
                "I'm pregnant and he keeps following me",
                [{"entity": "audience", "value": "pregnant"}],
            ),  # fmt: skip
            UserMessage("we live in Hitchin"),
            UserMessage("he put his hands round my neck", []),
        ]
    )
    assert result.district == "North Herts"
    assert result.audience == ["pregnant"]
    assert result.indicators == ["strangulation", "pregnancy_or_new_baby", "stalking"]


def test_the_latest_place_wins():
    messages = [UserMessage("in Watford", [district("Watford")]), UserMessage("sorry, Tring")]
    assert gather(messages).district == "Dacorum"


def test_button_payloads_give_entities_but_their_text_is_not_read():
    messages = [UserMessage('/inform{"district": "Stevenage"}', [district("Stevenage")])]
    result = gather(messages, extra_audience=["woman", "not_a_fact"])
    assert result.district == "Stevenage"
    assert result.audience == ["woman"]
    assert result.indicators == []


def test_nothing_disclosed():
    result = gather([UserMessage("hello")])
    assert (result.district, result.audience, result.indicators) == (None, [], [])
