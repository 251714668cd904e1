"""Plain-language messages built from directory data."""

from __future__ import annotations

from bot.directory import Service


def describe_service(service: Service) -> str:
    """One service as a short block: name, how to reach it, when, and how fresh the details are."""
    lines = [service.name]
    if service.phone:
        lines.append(f"Phone: {service.phone}")
    if service.web:
        lines.append(f"Web: {service.web}")
    if service.hours:
        lines.append(f"Open: {service.hours}")
    lines.append(f"(Details from a source dated {service.source_date})")
    return "\n".join(lines)


def services_message(services: list[Service], front_door: str) -> str:
    """Introduce a list of services (or say plainly that none matched) and the front door."""
    closing = f"You can also talk to someone at {front_door}."
    if not services:
        return f"I couldn't find a matching service in our directory just now. {closing}"
    blocks = "\n\n".join(describe_service(s) for s in services)
    return (
        "These services can help. You can contact them when it is safe for you:"
        f"\n\n{blocks}\n\n{closing}"
    )
