"""The callback request by text: the web form's questions one at a time, each skippable.

The SMS channel calls :func:`start` when the dialogue offers a callback and :func:`answer` for
each text until the steps are over; the answers (which can include a phone number) never go
to the dialogue model. The draft is plain JSON that the channel keeps encrypted
(:class:`bot.referrals.drafts.CallbackDrafts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.contact import FrontDoor, contact_phrase
from bot.referrals.callback import (
    NO,
    TIME_CHOICES,
    YES,
    CallbackRefused,
    CallbackRequest,
    build_referral,
    check_number,
    check_request,
    clean_safe_word,
    confirmation,
)
from bot.referrals.facts import CallbackFacts, facts_from_payload
from bot.referrals.record import CALL, SMS_CHAT, TEXT, THEY_CALL, Referral
from bot.referrals.summary import compose_summary
from safety.sms import numbered_choices
from safety.translation import N_, Translate, untranslated

STEP = "step"  # the draft's key for the question being asked (only drafts made by text have it)
METHOD, NUMBER, OTHER_NUMBER, TIMES, VOICEMAIL, SAFE_WORD, CONSENT = (
    "method", "number", "other_number", "times", "voicemail", "safe_word", "consent",
)  # fmt: skip
SKIP_WORD, YES_WORD, NO_WORD = "SKIP", "YES", "NO"
# Keywords are placeholders, so translations keep them as they must be typed (as for HELP).
WORDS = {"skip": SKIP_WORD, "yes": YES_WORD, "no": NO_WORD}
# Replies to the first question, in the order offered: call, text, 'I'll call you', not now.
METHOD_REPLIES = {"1": CALL, "2": TEXT, "3": THEY_CALL}
NOT_NOW_REPLY = "4"

HOW = N_("How is it safe for us to contact you?")
CALL_ME, TEXT_ME, ILL_CALL_YOU, NOT_NOW = (
    N_("Call me"), N_("Text me"), N_("I'll call you"), N_("Not now"),
)  # fmt: skip
REPLY_SKIP = N_("Reply {skip} to skip.")
SAME_NUMBER = N_(
    "Is the number you are texting from safe for us to use? Reply {yes} or {no}, or send "
    "another number. Reply {skip} to skip."
)
OTHER_NUMBER_ASK = N_(
    "Please send a number that is safe for us to use, or reply {skip} if there isn't one."
)
TIMES_ASK = N_("When is it safe for us to contact you?")
TIMES_HINT = N_("You can choose more than one, like 13. Reply {skip} if any time is fine.")
VOICEMAIL_ASK = N_("Is it safe to leave a voicemail?")
YES_NO_SKIP = N_("Reply {yes} or {no}. Reply {skip} to skip.")
SAFE_WORD_ASK = N_(
    "Is there a safe word or name we can use, so you know it's us? Send it, or reply {skip}."
)
CONSENT_ASK = N_(
    "This is what we would share with the One Front Door team:\n{summary}\nReply {yes} if you "
    "agree, or {no} if you'd rather not."
)
NOT_UNDERSTOOD = N_("Sorry, I didn't understand that.")
NOT_NOW_SAID = N_("That's fine. You can ask us to contact you at any time.")
NOT_SHARED = N_(
    "That's fine: we haven't passed anything on. You can call {contact} when it is safe for you."
)


@dataclass
class SmsTurn:
    """What one text leads to: the draft to keep (None: the steps are over), the texts to send
    back, and the referral to store (the person agreed)."""

    draft: dict | None
    texts: list[str] = field(default_factory=list)
    referral: Referral | None = None


def _keyword(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text).upper()


def question(draft: dict, translate: Translate = untranslated) -> str:
    """The question for the draft's current step."""
    t, words = translate, WORDS
    step = draft[STEP]
    if step == METHOD:
        choices = numbered_choices([t(CALL_ME), t(TEXT_ME), t(ILL_CALL_YOU), t(NOT_NOW)], t)
        return f"{t(HOW)} {choices} {t(REPLY_SKIP).format(**words)}"
    if step == NUMBER:
        return t(SAME_NUMBER).format(**words)
    if step == OTHER_NUMBER:
        return t(OTHER_NUMBER_ASK).format(**words)
    if step == TIMES:
        choices = numbered_choices([t(c.label) for c in TIME_CHOICES.values()], t)
        return f"{t(TIMES_ASK)} {choices} {t(TIMES_HINT).format(**words)}"
    if step == VOICEMAIL:
        return f"{t(VOICEMAIL_ASK)} {t(YES_NO_SKIP).format(**words)}"
    if step == SAFE_WORD:
        return t(SAFE_WORD_ASK).format(**words)
    summary = compose_summary(facts_from_payload(draft["facts"]), t)
    return t(CONSENT_ASK).format(summary=summary, **words)


def start(facts: CallbackFacts, translate: Translate = untranslated) -> SmsTurn:
    """The first question, after the dialogue's offer."""
    draft = {"facts": facts.to_payload(), STEP: METHOD, "answers": {}}
    return SmsTurn(draft, [question(draft, translate)])


def _request(answers: dict) -> CallbackRequest:
    return check_request(
        answers.get("method"),
        answers.get("number"),
        answers.get("times"),
        answers.get("voicemail"),
        answers.get("safe_word"),
    )


def _next_step(step: str, answers: dict) -> str:
    """The step after ``step``; 'I'll call you' (or no number) goes straight to consent."""
    method = answers.get("method")
    if method == THEY_CALL or (step in (NUMBER, OTHER_NUMBER) and not answers.get("number")):
        return CONSENT
    order = {METHOD: NUMBER, NUMBER: TIMES, OTHER_NUMBER: TIMES, TIMES: VOICEMAIL,
             VOICEMAIL: SAFE_WORD, SAFE_WORD: CONSENT}  # fmt: skip
    following = order[step]
    if following == VOICEMAIL and method == TEXT:  # a text has no voicemail
        following = SAFE_WORD
    return following


class _NotUnderstood(Exception):
    """The reply answers nothing that was asked: ask again."""


class _AskOtherNumber(Exception):
    """The number they text from is not safe: ask for another."""


def _take_answer(step: str, text: str, sender: str, answers: dict) -> None:
    """Record the answer to ``step`` in ``answers``; raise CallbackRefused or _NotUnderstood."""
    word = _keyword(text)
    skipped = word == SKIP_WORD
    if step == METHOD:
        if word not in METHOD_REPLIES and not skipped:
            raise _NotUnderstood
        answers["method"] = None if skipped else METHOD_REPLIES[word]
        if answers["method"] == THEY_CALL:
            answers["number"] = None
    elif step in (NUMBER, OTHER_NUMBER):
        if skipped or (step == OTHER_NUMBER and word in (NO_WORD, "N")):
            answers["number"] = None
            answers["method"] = THEY_CALL  # no safe number: they will call us
        elif step == NUMBER and word in (YES_WORD, "Y"):
            answers["number"] = check_number(sender, answers.get("method"))
        elif step == NUMBER and word in (NO_WORD, "N"):
            raise _AskOtherNumber
        elif re.search(r"\d", text):
            answers["number"] = check_number(text, answers.get("method"))
        else:
            raise _NotUnderstood
    elif step == TIMES:
        if skipped:
            answers["times"] = []
        elif re.fullmatch(r"[1-3][\s,1-3]*", text.strip()):
            digits = set(re.findall(r"[1-3]", text))
            answers["times"] = [key for n, key in enumerate(TIME_CHOICES, 1) if str(n) in digits]
        else:
            raise _NotUnderstood
    elif step == VOICEMAIL:
        if word in (YES_WORD, "Y"):
            answers["voicemail"] = YES
        elif word in (NO_WORD, "N"):
            answers["voicemail"] = NO
        elif skipped:
            answers["voicemail"] = None
        else:
            raise _NotUnderstood
    elif step == SAFE_WORD:
        answers["safe_word"] = None if skipped or word in (NO_WORD, "N") else clean_safe_word(text)


def answer(
    draft: dict,
    text: str,
    sender: str,
    door: FrontDoor,
    translate: Translate = untranslated,
) -> SmsTurn:
    """Take the person's reply to the current step and ask the next question (or finish).

    ``sender`` is the number the person texts from, offered as the safe number.
    """
    t = translate
    step, answers = draft[STEP], dict(draft["answers"])
    if step == METHOD and _keyword(text) == NOT_NOW_REPLY:
        return SmsTurn(None, [t(NOT_NOW_SAID)])
    if step == CONSENT:
        return _finish(draft, _keyword(text) in (YES_WORD, "Y"), door, t)
    try:
        _take_answer(step, text, sender, answers)
    except _AskOtherNumber:
        asking = {**draft, STEP: OTHER_NUMBER}
        return SmsTurn(asking, [question(asking, t)])
    except CallbackRefused as error:
        # A number we cannot use: say why and ask for another (nothing else was lost).
        again = {**draft, STEP: OTHER_NUMBER} if step == NUMBER else draft
        return SmsTurn(again, [f"{error.explain(t)} {question(again, t)}"])
    except _NotUnderstood:
        return SmsTurn(draft, [f"{t(NOT_UNDERSTOOD)} {question(draft, t)}"])
    following = {**draft, STEP: _next_step(step, answers), "answers": answers}
    return SmsTurn(following, [question(following, t)])


def _finish(draft: dict, consent: bool, door: FrontDoor, t: Translate) -> SmsTurn:
    if not consent:
        return SmsTurn(None, [t(NOT_SHARED).format(contact=contact_phrase(door, t))])
    request = _request(draft["answers"])
    facts = facts_from_payload(draft["facts"])
    referral = build_referral(facts, request, SMS_CHAT, True, contact_phrase(door, t))
    return SmsTurn(None, [confirmation(request, door, t)], referral)
