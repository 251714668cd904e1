"""How to reach the One Front Door team itself.

There is no public One Front Door number yet, so it is operator configuration
(``OFD_FRONT_DOOR_NAME``, ``OFD_FRONT_DOOR_PHONE`` and optionally ``OFD_FRONT_DOOR_WEB``).
Until an operator sets it, the Hertfordshire Domestic Abuse Helpline stands in, read from the
verified directory rather than typed here, so the number shown is always the sourced one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.directory import load_directory

STAND_IN_SERVICE = "Hertfordshire Domestic Abuse Helpline (HDAH)"
STAND_IN_LABEL = "the Hertfordshire Domestic Abuse Helpline"


def front_door_contact(db_path: Path, env: Mapping[str, str]) -> str:
    """A phrase such as 'the Hertfordshire Domestic Abuse Helpline on 08 088 088 088'."""
    if env.get("OFD_FRONT_DOOR_PHONE"):
        name = env.get("OFD_FRONT_DOOR_NAME", "the One Front Door")
        phrase = f"{name} on {env['OFD_FRONT_DOOR_PHONE']}"
        web = env.get("OFD_FRONT_DOOR_WEB")
        return f"{phrase} or at {web}" if web else phrase
    service = next(
        (s for s in load_directory(db_path).services if s.name == STAND_IN_SERVICE), None
    )
    if service is None or service.phone is None:
        raise LookupError(f"{STAND_IN_SERVICE!r} is missing from the directory at {db_path}")
    return f"{STAND_IN_LABEL} on {service.phone}"


def front_door_phone(db_path: Path, env: Mapping[str, str]) -> str:
    """The number alone, for a text to someone's phone, where a name would say too much."""
    if env.get("OFD_FRONT_DOOR_PHONE"):
        return env["OFD_FRONT_DOOR_PHONE"]
    service = next(
        (s for s in load_directory(db_path).services if s.name == STAND_IN_SERVICE), None
    )
    if service is None or service.phone is None:
        raise LookupError(f"{STAND_IN_SERVICE!r} is missing from the directory at {db_path}")
    return service.phone
