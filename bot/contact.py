"""How to reach the One Front Door team itself.

There is no public One Front Door number yet, so it is operator configuration
(``OFD_FRONT_DOOR_NAME`` and ``OFD_FRONT_DOOR_PHONE``). Until an operator sets it, the
Hertfordshire Domestic Abuse Helpline stands in, read from the verified directory rather than
typed here, so the number shown is always the sourced one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.directory import find_service_by_name

STAND_IN_SERVICE = "Hertfordshire Domestic Abuse Helpline (HDAH)"
STAND_IN_LABEL = "the Hertfordshire Domestic Abuse Helpline"


def front_door_contact(db_path: Path, env: Mapping[str, str]) -> str:
    """A phrase such as 'the Hertfordshire Domestic Abuse Helpline on 08 088 088 088'."""
    if env.get("OFD_FRONT_DOOR_PHONE"):
        name = env.get("OFD_FRONT_DOOR_NAME", "the One Front Door")
        return f"{name} on {env['OFD_FRONT_DOOR_PHONE']}"
    service = find_service_by_name(db_path, STAND_IN_SERVICE)
    if service is None or service.phone is None:
        raise LookupError(f"{STAND_IN_SERVICE!r} is missing from the directory at {db_path}")
    return f"{STAND_IN_LABEL} on {service.phone}"
