"""One normal form of what people type, so phrase rules and lists see one spelling."""

from __future__ import annotations

import re
import unicodedata

# Letters that Arabic-script keyboards give in place of the Urdu ones, and Arabic vowel marks.
_URDU_FORMS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                             "\u0647": "\u06c1"})  # fmt: skip
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")
_LATIN_EXTRA = {"ł": "l", "ß": "ss"}


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes, turn punctuation into spaces and collapse spacing.

    Combining marks are kept: in Bengali and Urdu they are part of the word.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = "".join(
        ch if ch.isalnum() or ch.isspace() or ch == "'" or unicodedata.category(ch)[0] == "M"
        else " "
        for ch in text
    )  # fmt: skip
    return re.sub(r"\s+", " ", text).strip()


def match_form(normalised: str) -> str:
    """A looser spelling for phrase lists: Latin letters without diacritics (people often type
    Polish and Romanian without them) and one form of each Urdu letter.

    Only Latin letters lose their marks: Bengali vowel signs are marks too and carry meaning.
    """
    folded = []
    for ch in normalised:
        base = unicodedata.normalize("NFKD", ch)[0]
        folded.append(base if base.isascii() else _LATIN_EXTRA.get(ch, ch))
    return _ARABIC_MARKS.sub("", "".join(folded).translate(_URDU_FORMS))
