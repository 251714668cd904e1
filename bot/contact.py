"""How to reach the One Front Door team itself.

There is no public One Front Door number yet, so it is operator configuration
(``OFD_FRONT_DOOR_NAME``, ``OFD_FRONT_DOOR_PHONE`` and optionally ``OFD_FRONT_DOOR_WEB`` and
``OFD_FRONT_DOOR_HOURS``). Until an operator sets it, the Hertfordshire Domestic Abuse Helpline
stands in, read from the verified directory rather than typed here, so the number and opening
hours shown are always the sourced ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.directory import load_directory
from bot.messages import CONFLICTING
from safety.translation import N_, Translate, untranslated

STAND_IN_SERVICE = "Hertfordshire Domestic Abuse Helpline (HDAH)"
STAND_IN_LABEL = N_("the Hertfordshire Domestic Abuse Helpline")
DEFAULT_NAME = N_("the One Front Door")


@dataclass(frozen=True)
class FrontDoor:
    name: str  # as it reads inside a sentence: 'the One Front Door'
    phone: str
    web: str | None = None
    hours: tuple[str, ...] = ()  # opening hours as the source or operator gives them; () unknown


def front_door(db_path: Path, env: Mapping[str, str]) -> FrontDoor:
    """The operator's configured front door, or the sourced stand-in helpline."""
    if env.get("OFD_FRONT_DOOR_PHONE"):
        hours = env.get("OFD_FRONT_DOOR_HOURS", "").strip()
        return FrontDoor(
            env.get("OFD_FRONT_DOOR_NAME", DEFAULT_NAME),
            env["OFD_FRONT_DOOR_PHONE"],
            env.get("OFD_FRONT_DOOR_WEB"),
            (hours,) if hours else (),
        )
    service = next(
        (s for s in load_directory(db_path).services if s.name == STAND_IN_SERVICE), None
    )
    if service is None or service.phone is None:
        raise LookupError(f"{STAND_IN_SERVICE!r} is missing from the directory at {db_path}")
    # Hours the sources disagree on are not shown (as in bot.messages).
    hours = tuple(h for h in service.hours if not h.startswith(CONFLICTING))
    return FrontDoor(STAND_IN_LABEL, service.phone, hours=hours)


def contact_phrase(door: FrontDoor, translate: Translate = untranslated) -> str:
    """A phrase such as 'the Hertfordshire Domestic Abuse Helpline on 08 088 088 088'."""
    t = translate
    if door.web:
        return t(N_("{name} on {phone} or at {web}")).format(
            name=t(door.name), phone=door.phone, web=door.web
        )
    return t(N_("{name} on {phone}")).format(name=t(door.name), phone=door.phone)


def front_door_contact(
    db_path: Path, env: Mapping[str, str], translate: Translate = untranslated
) -> str:
    """:func:`contact_phrase` for the front door configured in ``env``."""
    return contact_phrase(front_door(db_path, env), translate)


def front_door_phone(db_path: Path, env: Mapping[str, str]) -> str:
    """The number alone, for a text to someone's phone, where a name would say too much."""
    return front_door(db_path, env).phone
