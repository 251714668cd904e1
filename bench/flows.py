"""Scripted conversations the benchmark replays: each is one person's whole conversation."""

from __future__ import annotations

from dataclasses import dataclass

WEB, SMS = "web", "sms"


@dataclass(frozen=True)
class Flow:
    name: str
    messages: tuple[str, ...]
    channel: str = WEB  # WEB: POST /api/chat; SMS: Twilio's signed webhook, POST /sms/inbound


SKIP = "/skip_question"

FLOWS: tuple[Flow, ...] = (
    Flow(
        "disclosure, no questions, services",
        ("hello", "my partner controls everything I do", "/deny", "I live in Watford"),
    ),
    Flow(
        "disclosure, risk questions, services",
        ("hi", "my husband hits me and I'm scared of him", "/affirm")
        + ("/deny",) * 7
        + ('/inform{"district": "Stevenage"}',),
    ),
    Flow(
        "professional asks where to refer",
        ("I'm a GP and want to know where to refer a patient",) + (SKIP,) * 6,
    ),
    Flow("immediate danger", ("he is outside and trying to get in", "/deny")),
    Flow(
        "by text message: disclosure, no questions, services",
        ("hello", "my ex keeps following me and turning up at my work", "no", "St Albans"),
        channel=SMS,
    ),
)
