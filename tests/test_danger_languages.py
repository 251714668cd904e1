"""Immediate danger and suicidal feelings are seen in every supported language."""

import pytest

from safety.danger import assess

DANGER = {
    "pl": [
        "Jestem w niebezpieczeństwie, on jest pod drzwiami",
        "jestem w niebezpieczenstwie",  # typed without diacritics
        "On chce mnie zabić!!",
        "ma nóż i krzyczy",
        "Ratunku, bije mnie",
        "prosze wezwij policje",
    ],
    "ro": [
        "Sunt în pericol, e la ușă",
        "sunt in pericol",  # typed without diacritics
        "vrea să mă omoare",
        "are un cuțit",
        "mă bate acum, ajutor acum",
        "chemați poliția vă rog",
    ],
    "ur": [
        "میں خطرے میں ہوں",
        "وہ مجھے مار دے گا",
        "اس کے پاس چاقو ہے",
        "وہ دروازے پر ہے، بچاؤ",
        "پولیس کو بلاؤ",
        "mujhe bachao",
        "ميں خطرے ميں ہوں",  # typed with Arabic yeh
    ],
    "bn": [
        "আমি বিপদে আছি",
        "সে আমাকে মেরে ফেলবে",
        "তার কাছে ছুরি আছে",
        "বাঁচাও! সে দরজায় আছে",
        "পুলিশ ডাকুন",
        "আমি নিরাপদ নই",
    ],
}
SUICIDAL = {
    "pl": ["chcę umrzeć", "myślę o samobójstwie"],
    "ro": ["vreau să mor", "mă gândesc să mă sinucid"],
    "ur": ["میں مرنا چاہتی ہوں", "خودکشی کے بارے میں سوچ رہی ہوں"],
    "bn": ["আমি মরতে চাই", "আত্মহত্যার কথা ভাবছি"],
}
# Everyday requests for help are not flagged: a wrong alarm on every message would bury it.
CALM = {
    "pl": ["potrzebuję pomocy z mieszkaniem", "dzień dobry"],
    "ro": ["am nevoie de ajutor cu locuința", "bună ziua"],
    "ur": ["مجھے رہائش کے بارے میں مشورہ چاہیے", "السلام علیکم"],
    "bn": ["আমার থাকার জায়গা নিয়ে পরামর্শ দরকার", "নমস্কার"],
}


def cases(table):
    return [(lang, text) for lang, texts in table.items() for text in texts]


@pytest.mark.parametrize(("lang", "text"), cases(DANGER))
def test_immediate_danger_is_flagged(lang, text):
    assert assess(text).immediate_danger, (lang, text)


@pytest.mark.parametrize(("lang", "text"), cases(SUICIDAL))
def test_suicidal_feelings_are_flagged(lang, text):
    assert assess(text).suicide_risk, (lang, text)


@pytest.mark.parametrize(("lang", "text"), cases(CALM))
def test_everyday_messages_are_not_flagged(lang, text):
    assert not assess(text).any, (lang, text)


def test_rule_names_never_carry_the_text():
    result = assess("Jestem w niebezpieczeństwie")
    assert result.rules == ("danger_phrase_pl",)
