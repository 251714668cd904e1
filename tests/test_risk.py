"""Risk tier rules (bot/risk.py): every tier boundary, skips, and judgement only raising."""

import pytest

from bot.risk import (
    ESCALATION,
    FEAR_OF_BEING_KILLED,
    INDICATORS,
    PREGNANCY_OR_NEW_BABY,
    RISK_QUESTIONS,
    SEPARATION,
    SEVERE,
    SKIP,
    STALKING,
    STRANGULATION,
    THREATS_TO_KILL,
    WEAPON,
    YES,
    dash_tier,
    higher_tier,
    indicators_from_answers,
    indicators_in_text,
    merge_indicators,
    parse_dash,
    professional_tier,
    survivor_tier,
)

NOT_SEVERE = [i for i in INDICATORS if i not in SEVERE]


def test_nothing_known_is_no_tier():
    assert survivor_tier([], answered=0) is None


def test_all_no_is_standard():
    assert survivor_tier([], answered=7) == "standard"


def test_one_indicator_is_standard():
    assert survivor_tier([ESCALATION], answered=1) == "standard"


def test_two_indicators_is_medium():
    assert survivor_tier([ESCALATION, SEPARATION], answered=2) == "medium"


def test_three_indicators_is_still_medium():
    assert survivor_tier(NOT_SEVERE[:3], answered=3) == "medium"


def test_four_indicators_is_high():
    assert survivor_tier(NOT_SEVERE[:4], answered=4) == "high"


@pytest.mark.parametrize("severe", sorted(SEVERE))
def test_any_severe_indicator_alone_is_high(severe):
    assert survivor_tier([severe], answered=1) == "high"


def test_indicators_told_in_own_words_count_without_answers():
    assert survivor_tier([STALKING], answered=0) == "standard"


def test_unknown_names_and_repeats_do_not_count():
    assert survivor_tier([ESCALATION, ESCALATION, "made_up"], answered=1) == "standard"


def test_skipped_questions_add_nothing():
    answers = {slot: SKIP for slot in RISK_QUESTIONS}
    assert indicators_from_answers(answers) == []
    answers["risk_fear"] = YES
    answers["risk_pregnancy"] = YES
    assert indicators_from_answers(answers) == [FEAR_OF_BEING_KILLED, PREGNANCY_OR_NEW_BABY]


def test_merge_keeps_one_of_each_in_fixed_order():
    assert merge_indicators([WEAPON, STALKING], [STALKING, STRANGULATION]) == [
        STRANGULATION,
        WEAPON,
        STALKING,
    ]


@pytest.mark.parametrize(
    ("count", "tier"),
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high")],
)
def test_dash_bands_at_every_boundary(count, tier):
    assert dash_tier(count) == tier


@pytest.mark.parametrize(
    ("value", "count"),
    [("14+", 14), ("10-13", 10), ("0-9", 0), ("15", 15), ("7.0", 7), ("25", None), (None, None)],
)
def test_parse_dash(value, count):
    assert parse_dash(value) == count


def test_professional_without_anything_has_no_tier():
    result = professional_tier(SKIP, SKIP, SKIP, SKIP)
    assert result.tier is None and not result.marac


def test_professional_dash_13_is_medium_and_not_marac():
    result = professional_tier("13", "no", "no", "no")
    assert result.tier == "medium" and not result.marac


def test_professional_dash_14_is_visible_high_risk():
    result = professional_tier("14", "no", "no", "no")
    assert result.tier == "high" and result.marac_criteria == ("visible_high_risk",)


@pytest.mark.parametrize(
    ("answers", "criterion"),
    [
        (("3", YES, "no", "no"), "professional_judgement"),
        (("3", "no", YES, "no"), "potential_escalation"),
        (("3", "no", "no", YES), "repeat_referral"),
    ],
)
def test_each_marac_criterion_raises_a_low_count_to_high(answers, criterion):
    result = professional_tier(*answers)
    assert result.tier == "high" and result.marac_criteria == (criterion,)


def test_judgement_never_lowers():
    assert professional_tier("16", "no", "no", "no").tier == "high"
    assert higher_tier("high", "standard") == "high"
    assert higher_tier(None, "medium") == "medium"
    assert higher_tier("medium", None) == "medium"


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("he put his hands round my neck last month", STRANGULATION),
        ("he chokes me when he's drunk", STRANGULATION),
        ("he said he'd kill me if I ever left", THREATS_TO_KILL),
        ("he keeps a knife by the bed", WEAPON),
        ("I'm terrified he will kill me one day", FEAR_OF_BEING_KILLED),
        ("it's getting worse every week", ESCALATION),
        ("I've just left him", SEPARATION),
        ("I'm pregnant", PREGNANCY_OR_NEW_BABY),
        ("my ex keeps turning up at work", STALKING),
        ("he forced me to have sex", "sexual_abuse"),
        ("he threatened to take the kids", "threats_to_children"),
        ("he says he'll kill himself if I go", "abuser_suicide_threats"),
    ],
)
def test_indicators_in_own_words(text, indicator):
    assert indicator in indicators_in_text(text)


def test_no_indicator_in_plain_words():
    assert indicators_in_text("I need help with my rent") == []
