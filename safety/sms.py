"""Text-message safety: who is texting (as a keyed hash), keywords, fitting replies into SMS
limits, and the neutral wording of texts we send.

Nothing here keeps or logs a phone number: callers get an HMAC of it for identifying a
conversation, and the number itself only travels to where a text must be sent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta
from enum import Enum

from safety.translation import N_, KindError, Translate, untranslated

# --- Numbers ---------------------------------------------------------------------------------


class InvalidNumber(KindError):
    """A number we cannot text."""


# UK mobiles: 07 then 9 digits, without 070 (personal numbers) and 076 (pagers) apart from
# 07624 (Isle of Man mobiles).
_UK_MOBILE = re.compile(r"7(?!0|6(?!24))\d{9}")


def uk_mobile_e164(raw: str) -> str:
    """Return a UK mobile number as +447..., or raise :class:`InvalidNumber`."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    for prefix in ("+44", "0044", "44", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 10:
            national = digits[len(prefix) :]
            if _UK_MOBILE.fullmatch(national):
                return "+44" + national
    raise InvalidNumber(
        N_("Please check the number. It needs to be a UK mobile number, like 07700 900123.")
    )


# UK numbers a person can safely be called on: mobiles as above, and geographic (01, 02) or
# non-geographic 03 numbers. Freephone, premium and personal numbers (08, 09, 070) are not
# anyone's own safe number.
_UK_CALLABLE = re.compile(r"1\d{8,9}|[23]\d{9}")


def uk_phone_e164(raw: str) -> str:
    """Return a UK mobile or landline number as +44..., or raise :class:`InvalidNumber`."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    for prefix in ("+44", "0044", "44", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (9, 10):
            national = digits[len(prefix) :]
            if _UK_MOBILE.fullmatch(national) or _UK_CALLABLE.fullmatch(national):
                return "+44" + national
    raise InvalidNumber(
        N_(
            "Please check the number. It needs to be a UK phone number, like 07700 900123 or "
            "020 7946 0123."
        )
    )


def last_digits(number: str, count: int = 3) -> str:
    return number[-count:]


def number_key(number: str, key: bytes) -> str:
    """A keyed hash of a phone number: the same number always gives the same value, and
    nobody without the key can work back to the number or test a guess."""
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def conversation_id(number: str, key: bytes) -> str:
    return "sms-" + number_key(number, key)[:40]


# --- Keywords --------------------------------------------------------------------------------


class Keyword(Enum):
    STOP = "stop"
    START = "start"
    EXIT = "exit"
    HELP = "help"


# The opt-out and opt-in words match Twilio's own handling, so both sides agree.
_KEYWORDS = {
    **dict.fromkeys(("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"), Keyword.STOP),
    **dict.fromkeys(("START", "UNSTOP"), Keyword.START),
    "EXIT": Keyword.EXIT,
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}


def keyword(text: str) -> Keyword | None:
    """The keyword a whole message is, if any ('stop', 'Stop.' and ' STOP ' all count)."""
    return _KEYWORDS.get(re.sub(r"[^A-Za-z]", "", text).upper())


# --- Fitting text into SMS -------------------------------------------------------------------

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets
# Twilio's hard limit on one message body, and how many segments we let one message use.
TWILIO_MAX_BODY = 1600
MAX_SEGMENTS = 3
# Beyond this many messages a reply is too long for a text conversation: the rest is dropped
# (the most important messages, such as danger guidance, always come first).
MAX_MESSAGES = 5

# Typography that would force the whole message into UCS-2 (70 characters a segment).
_PLAIN = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
     "\u2026": "...", "\u00a0": " ", "\u2022": "-"}
)  # fmt: skip


def plain_text(text: str) -> str:
    return text.translate(_PLAIN)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def units(text: str) -> int:
    """Length in the units segments are counted in (septets for GSM-7, UTF-16 for UCS-2)."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes (160/153 for GSM-7, 70/67 for UCS-2)."""
    single, multi = (160, 153) if is_gsm7(text) else (70, 67)
    size = units(text)
    return 1 if size <= single else -(-size // multi)


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return len(text) <= TWILIO_MAX_BODY and segments(text) <= max_segments


# Sentence ends in the languages we text in: Latin, Urdu (۔ ؟) and Bengali (।).
SENTENCE_END = re.compile(r"(?<=[.!?\u06d4\u061f\u0964])\s+")


def _pieces(text: str) -> list[str]:
    """Sentences, and words inside any sentence too long to fit on its own."""
    pieces = []
    for sentence in re.split(SENTENCE_END, text.strip()):
        if fits(sentence):
            pieces.append(sentence)
        else:
            pieces.extend(_hard_split(sentence))
    return pieces


def _hard_split(text: str) -> list[str]:
    parts, current = [], ""
    for word in text.split():
        while not fits(word):  # one enormous 'word': cut it
            cut = len(word) // 2
            parts.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if fits(candidate):
            current = candidate
        else:
            parts.append(current)
            current = word
    return [*parts, current] if current else parts


def fit_messages(texts: list[str], max_messages: int = MAX_MESSAGES) -> list[str]:
    """Turn reply texts into SMS bodies that each fit :data:`MAX_SEGMENTS` segments.

    Short replies share a message; long ones are split at sentence ends, or at spaces when a
    sentence is too long. The order is kept, so what comes first is never the part dropped.
    """
    messages: list[str] = []
    for text in texts:
        paragraph_start = True
        for piece in _pieces(plain_text(text)):
            joiner = "\n\n" if paragraph_start else " "
            if messages and fits(messages[-1] + joiner + piece):
                messages[-1] += joiner + piece
            else:
                messages.append(piece)
            paragraph_start = False
    return messages[:max_messages]


def numbered_choices(titles: list[str], translate: Translate = untranslated) -> str:
    """Buttons as text: 'Reply 1 for ..., 2 for ...'."""
    options = ", ".join(
        translate(N_("{number} for {choice}")).format(number=i, choice=title)
        for i, title in enumerate(titles, start=1)
    )
    return translate(N_("Reply {options}.")).format(options=options)


# --- Wording ---------------------------------------------------------------------------------

# Words that would tell someone reading over a shoulder what a text is about.
GIVEAWAY_WORDS = (
    "abuse", "abusive", "refuge", "domestic", "violence", "violent", "victim", "survivor",
    "assault", "rape", "police", "safe house", "safety", "women's aid", "idva", "marac",
    "front door", "helpline", "support service", "escape", "leave him", "leave her",
)  # fmt: skip


def giveaways(text: str) -> list[str]:
    """The give-away words in ``text`` (an empty list means it reads as neutral)."""
    lowered = text.lower()
    return [word for word in GIVEAWAY_WORDS if word in lowered]


HANDOFF_TEXT = N_(
    "Hi, this is the reminder you asked for. When it suits you, you can call {phone} to talk "
    "things through. In an emergency call 999."
)


def handoff_text(phone: str, translate: Translate = untranslated) -> str:
    """The one text sent to a number someone gave us: neutral, with the way to reach help."""
    return translate(HANDOFF_TEXT).format(phone=phone)


# Keywords are placeholders so that translations keep them as they must be typed.
HELP_TEXT = N_(
    "This is a private chat. Text anything to talk. Text {exit} to clear this chat on our side, "
    "or {stop} to stop all texts. You can also call {phone}. In an emergency call 999; if you "
    "can't speak, call 999, stay on the line and press 55 when asked."
)
EXIT_TEXT = N_(
    "Done: this chat is cleared on our side. If it is safe to, delete these texts from your "
    "phone too. Text us any time to start again."
)
STOP_TEXT = N_("You won't get any more texts from us. Text {start} if you want to talk again.")
START_TEXT = N_("Welcome back. Text anything to talk, or {help} to see how this works.")
KEYWORD_TEXTS = {
    Keyword.HELP: HELP_TEXT,
    Keyword.EXIT: EXIT_TEXT,
    Keyword.STOP: STOP_TEXT,
    Keyword.START: START_TEXT,
}


def keyword_text(word: Keyword, phone: str, translate: Translate = untranslated) -> str:
    """The answer to a keyword, in the person's language, with the keywords as typed."""
    keywords = {k.value: k.name for k in Keyword}
    return translate(KEYWORD_TEXTS[word]).format(phone=phone, **keywords)


# --- When to send a handoff text -------------------------------------------------------------

SOON = "soon"
# A text is only sent within this long after the chosen time: later it might not be safe.
SAFE_WINDOW = timedelta(minutes=30)


class InvalidTime(KindError):
    """A time we cannot use."""


def send_window(when: str, now: datetime) -> tuple[datetime, datetime]:
    """(earliest, latest) moments to send, for 'soon' or a time of day such as '19:30'.

    ``now`` must carry the person's time zone; a time already past today means tomorrow.
    """
    if when == SOON:
        return now, now + SAFE_WINDOW
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", when or "")
    if not match:
        raise InvalidTime(N_("Please choose a time, such as 19:30, or 'as soon as possible'."))
    chosen = now.replace(hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0)
    if chosen < now:
        chosen += timedelta(days=1)
    return chosen, chosen + SAFE_WINDOW
