"""Immediate-danger and suicide phrases in the languages other than English.

Plain phrase lists, matched after the same normalisation as the text (see ``safety.danger``),
so a reviewer can add a phrase without writing a regular expression. Polish and Romanian are
also matched without diacritics, as people often type them. Drafts: each list needs review by
a native speaker who knows how people in danger write (docs/languages.md).
"""

from __future__ import annotations

from safety.text import match_form, normalise

IMMEDIATE_DANGER_PHRASES: dict[str, tuple[str, ...]] = {
    "pl": (
        "jestem w niebezpieczeństwie",
        "nie jestem bezpieczna",
        "nie jestem bezpieczny",
        "chce mnie zabić",
        "zabije mnie",
        "zabić mnie",
        "ma nóż",
        "ma broń",
        "jest pod drzwiami",
        "dobija się do drzwi",
        "próbuje wejść",
        "wyważa drzwi",
        "bije mnie",
        "dusi mnie",
        "zamknął mnie",
        "ratunku",
        "pomocy teraz",
        "pomóż mi teraz",
        "wezwij policję",
        "wezwijcie policję",
        "zadzwoń na policję",
    ),
    "ro": (
        "sunt în pericol",
        "nu sunt în siguranță",
        "vrea să mă omoare",
        "o să mă omoare",
        "mă omoară",
        "are un cuțit",
        "are o armă",
        "e la ușă",
        "este la ușă",
        "încearcă să intre",
        "sparge ușa",
        "mă bate",
        "mă lovește",
        "mă sugrumă",
        "m-a încuiat",
        "ajutor acum",
        "ajutați-mă acum",
        "ajută-mă acum",
        "chemați poliția",
        "sunați la poliție",
        "sună la poliție",
    ),
    "ur": (
        "میں خطرے میں ہوں",
        "میں محفوظ نہیں",
        "مجھے مار دے گا",
        "مجھے مار ڈالے گا",
        "جان سے مار",
        "مجھے مار رہا ہے",
        "مجھے مار رہی ہے",
        "اس کے پاس چاقو",
        "اس کے پاس چھری",
        "اس کے پاس بندوق",
        "دروازے پر ہے",
        "اندر آنے کی کوشش",
        "دروازہ توڑ",
        "گلا دبا",
        "مجھے بند کر دیا",
        "فوری مدد",
        "بچاؤ",
        "بچائیں",
        "پولیس کو بلاؤ",
        "پولیس کو بلائیں",
        "mujhe bachao",
        "mujhe maar dega",
    ),
    "bn": (
        "আমি বিপদে আছি",
        "আমি বিপদে",
        "আমি নিরাপদ নই",
        "আমাকে মেরে ফেলবে",
        "মেরে ফেলবে",
        "আমাকে মারছে",
        "ছুরি আছে",
        "বন্দুক আছে",
        "দরজায় আছে",
        "দরজার বাইরে",
        "ভেতরে ঢোকার চেষ্টা",
        "দরজা ভাঙছে",
        "গলা টিপে",
        "আমাকে আটকে রেখেছে",
        "বাঁচাও",
        "বাঁচান",
        "জরুরি সাহায্য",
        "পুলিশ ডাকুন",
        "পুলিশ ডাকো",
    ),
}

SUICIDE_PHRASES: dict[str, tuple[str, ...]] = {
    "pl": ("chcę umrzeć", "zabiję się", "odebrać sobie życie", "nie chcę żyć", "samobój"),
    "ro": ("vreau să mor", "mă sinucid", "să mă sinucid", "nu mai vreau să trăiesc", "sinucid"),
    "ur": (
        "میں مرنا چاہتی ہوں",
        "میں مرنا چاہتا ہوں",
        "خودکشی",
        "اپنی جان لے لوں",
        "جینا نہیں چاہتی",
    ),
    "bn": ("আমি মরতে চাই", "আত্মহত্যা", "বাঁচতে চাই না", "নিজেকে শেষ করে দেব"),
}


def _compile(phrases: dict[str, tuple[str, ...]], kind: str) -> dict[str, tuple[str, ...]]:
    return {
        f"{kind}_{lang}": tuple(f" {match_form(normalise(p))}" for p in listed)
        for lang, listed in phrases.items()
    }


_DANGER = _compile(IMMEDIATE_DANGER_PHRASES, "danger_phrase")
DANGER_PHRASE_LISTS = frozenset(_DANGER)  # their rule names
_SUICIDE = _compile(SUICIDE_PHRASES, "suicide_phrase")


def matching_rules(normalised: str) -> tuple[list[str], list[str]]:
    """Names of the phrase lists (danger, suicide) with a phrase at the start of a word in
    ``normalised`` text. Word starts, not whole words, so inflected endings still match."""
    text = f" {match_form(normalised)}"
    danger = [name for name, listed in _DANGER.items() if any(p in text for p in listed)]
    suicide = [name for name, listed in _SUICIDE.items() if any(p in text for p in listed)]
    return danger, suicide
