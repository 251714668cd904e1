"""Role safety (bot/role.py): the behaviour-change route needs the person's own words."""

import pytest
import yaml

from bot import role
from bot.role import ASK_ROLE, GO_BEHAVIOUR_CHANGE, KEEP, ROLE_DATA, cues, route

BC = "behaviour_change"


def ranking(top: str, p: float, bc: float = 0.0) -> list[tuple[str, float]]:
    found = [(top, p)]
    if top != BC and bc:
        found.append((BC, bc))
    return found + [("advocacy_safety", 0.01)]


def test_cues_tell_who_acts_from_who_is_harmed():
    assert cues("i hit my wife last night") == role.Cues(actor=True, harmed=False)
    assert cues("my husband hit me last night") == role.Cues(actor=False, harmed=True)
    assert cues("can you tell me about refuges") == role.Cues(actor=False, harmed=False)


def test_actor_phrases_match_whole_words_only():
    # Typed without Polish letters, "biję ją" ("I beat her") is "bije ja": it must not match
    # "bije jak" in "she beats me like...".
    assert not cues("dziewczyna mnie bije jak tylko wroci").actor


@pytest.mark.parametrize(
    "text, reading, expected",
    [
        ("/behaviour_change", ranking(BC, 1.0), GO_BEHAVIOUR_CHANGE),
        ("/im_survivor", ranking("im_survivor", 1.0), KEEP),
        ("i hit my wife and i want to stop", ranking(BC, 0.5), GO_BEHAVIOUR_CHANGE),
        ("i hit my wife and i want to stop", ranking(BC, 0.2), ASK_ROLE),  # not sure enough
        ("there was a fight and things got broken", ranking(BC, 0.9), ASK_ROLE),  # no own words
        ("my husband hit me and says i hit him", ranking(BC, 0.9), ASK_ROLE),  # harmed words
        ("i hit my wife and i want to stop", ranking("advocacy_safety", 0.5, 0.2), ASK_ROLE),
        ("things got out of hand at home", ranking("advocacy_safety", 0.5, 0.35), ASK_ROLE),
        ("my husband hit me, he is on a course now", ranking("advocacy_safety", 0.5, 0.35), KEEP),
        ("my husband hit me", ranking("advocacy_safety", 0.9, 0.05), KEEP),
        ("i hit my wife he's coming back", ranking("immediate_danger", 1.0, 0.3), KEEP),
        ("", [], KEEP),
    ],
)
def test_route(text, reading, expected):
    assert route(text, reading) == expected


def test_no_cue_phrase_sits_on_both_sides():
    for path in sorted(ROLE_DATA.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for phrase in data.get("actor") or []:
            assert not cues(str(phrase)).harmed, (path.name, phrase)
        for phrase in data.get("harmed") or []:
            assert not cues(str(phrase)).actor, (path.name, phrase)
