"""Safety messages and the guard that puts them first in every reply.

The emergency wording lives only here. The dialogue model asks for it with a marker message
(``{"kind": "emergency"}``) and every channel calls :func:`guard_reply`, so the guidance is
shown exactly once, first, whether the danger was seen by the model, by the phrase rules in
:mod:`safety.danger`, or by both, and also when the model is not answering at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safety.danger import DangerAssessment
from safety.translation import N_, Translate, untranslated

EMERGENCY = "emergency"
SUICIDE_SUPPORT = "suicide_support"
UNAVAILABLE = "unavailable"
HELPLINE = "helpline"  # the bot asks the channel to say how to reach a person
SAFETY_KINDS = frozenset({EMERGENCY, SUICIDE_SUPPORT})

EMERGENCY_TEXT = N_(
    "If you are in danger now, call 999. If you can't speak, stay on the line and, on a "
    "mobile, press 55 when you are asked to: this is the Silent Solution, and it tells the "
    "police you need help. If you are Deaf or can't speak, you can text 999 once you have "
    "registered with emergencySMS."
)
SUICIDE_SUPPORT_TEXT = N_(
    "You don't have to cope with these feelings on your own. Samaritans are there day and "
    "night on 116 123, free. If you might act on these feelings now, call 999."
)
HELPLINE_TEXT = N_("If you would like to talk to a person, you can call {helpline}.")
UNAVAILABLE_TEXT = N_(
    "Sorry, the chat can't answer right now. Please try again in a moment. You can also call "
    "{helpline}. If you are in danger now, call 999."
)


@dataclass(frozen=True)
class Reply:
    """One message to show: text, optional buttons, and what kind of message it is."""

    text: str = ""
    buttons: tuple[dict, ...] = field(default_factory=tuple)
    kind: str | None = None
    language: str | None = None  # only on a language marker: the language the person chose
    # Only on a marker: what the channel needs to act on it (the callback offer's triage
    # facts). The channel takes it off before anything is shown or sent.
    data: dict | None = None


def safety_replies(
    assessment: DangerAssessment, requested: set[str], translate: Translate = untranslated
) -> list[Reply]:
    """The safety messages owed for this turn, most urgent first."""
    replies = []
    if assessment.immediate_danger or EMERGENCY in requested:
        replies.append(Reply(translate(EMERGENCY_TEXT), kind=EMERGENCY))
    if assessment.suicide_risk or SUICIDE_SUPPORT in requested:
        replies.append(Reply(translate(SUICIDE_SUPPORT_TEXT), kind=SUICIDE_SUPPORT))
    return replies


def guard_reply(
    assessment: DangerAssessment,
    bot_replies: list[Reply] | None,
    helpline: str,
    translate: Translate = untranslated,
) -> list[Reply]:
    """Compose the final reply: safety messages first, then what the bot said.

    ``bot_replies`` is None when the dialogue model could not be reached. When the bot has
    nothing at all to say, the person still gets an answer and a number to call. The safety
    messages are put into the person's language with ``translate`` (the bot's own replies
    arrive translated already).
    """
    requested = {r.kind for r in bot_replies or () if r.kind in SAFETY_KINDS and not r.text}
    # Other markers (such as the text-me-later form) are passed on for the channel to show.
    spoken = [r for r in bot_replies or () if r.text or (r.kind and r.kind not in SAFETY_KINDS)]
    spoken = [
        Reply(translate(HELPLINE_TEXT).format(helpline=helpline), kind=HELPLINE)
        if r.kind == HELPLINE and not r.text
        else r
        for r in spoken
    ]
    if bot_replies is None or not (spoken or requested):
        unavailable = translate(UNAVAILABLE_TEXT).format(helpline=helpline)
        spoken = [Reply(unavailable, kind=UNAVAILABLE)]
    return safety_replies(assessment, requested, translate) + spoken
