"""Plain-language messages built from directory matches (for the chat and text messages)."""

from __future__ import annotations

from bot.directory import Match, MatchResult, Service, load_taxonomy

CHAT_LIMIT = 3  # more than three services at once is too much to take in
CONFLICTING = "CONFLICT"  # the seed marks hours its sources disagree on; they are not shown


def describe_service(service: Service, reasons: tuple[str, ...] = ()) -> str:
    """One service as a short block: name, how to reach it, when, why, and how fresh it is."""
    lines = [service.name]
    for phone in service.phones:
        lines.append(f"Phone: {phone.number}" + (f" ({phone.note})" if phone.note else ""))
    if service.url:
        lines.append(f"Web: {service.url}")
    lines += [f"Open: {hours}" for hours in service.hours if not hours.startswith(CONFLICTING)]
    if reasons:
        lines.append("Why: " + ". ".join(reasons) + ".")
    if service.source_date:
        lines.append(f"(Details from a source dated {service.source_date})")
    return "\n".join(lines)


def services_message(result: MatchResult, front_door: str) -> str:
    """Introduce the matched services (or say plainly that none matched) and the front door.

    The 999 wording is not here: when ``result.emergency`` is set, the caller asks the
    channel for it (safety/replies.py), so it is shown first and only once.
    """
    closing = f"You can also talk to someone at {front_door}."
    parts = [result.guidance] if result.guidance else []
    matches: tuple[Match, ...] = result.matches[:CHAT_LIMIT]
    if not matches:
        parts.append(f"I couldn't find a matching service in our directory just now. {closing}")
        return "\n\n".join(parts)
    if result.unmet_needs:
        labels = ", ".join(load_taxonomy().needs[n].label.lower() for n in result.unmet_needs)
        parts.append(f"I don't have a specialist service listed for {labels} yet.")
    parts.append("These services can help. You can contact them when it is safe for you:")
    parts += [describe_service(m.service, m.reasons) for m in matches]
    parts.append(closing)
    return "\n\n".join(parts)
