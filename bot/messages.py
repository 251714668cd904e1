"""Plain-language messages built from directory matches (for the chat and text messages).

English text is marked for the catalogs and put into the person's language with the
``translate`` function the caller passes; service details (names, numbers, hours, notes) are
sourced data and are shown as the source gives them.
"""

from __future__ import annotations

from bot.directory import Directory, Match, MatchResult, Service, in_sentence, load_taxonomy
from safety.translation import N_, Translate, untranslated

CHAT_LIMIT = 3  # more than three services at once is too much to take in
CONFLICTING = "CONFLICT"  # the seed marks hours its sources disagree on; they are not shown


def describe_service(
    service: Service, reasons: tuple[str, ...] = (), translate: Translate = untranslated
) -> str:
    """One service as a short block: name, how to reach it, when, why, and how fresh it is."""
    t = translate
    lines = [service.name]
    for phone in service.phones:
        number = phone.number + (f" ({phone.note})" if phone.note else "")
        lines.append(t(N_("Phone: {number}")).format(number=number))
    if service.url:
        lines.append(t(N_("Web: {url}")).format(url=service.url))
    lines += [
        t(N_("Open: {hours}")).format(hours=hours)
        for hours in service.hours
        if not hours.startswith(CONFLICTING)
    ]
    if reasons:
        lines.append(t(N_("Why: {reasons}.")).format(reasons=". ".join(reasons)))
    if service.source_date:
        lines.append(t(N_("(Details from a source dated {date})")).format(date=service.source_date))
    return "\n".join(lines)


def services_message(
    result: MatchResult, front_door: str, translate: Translate = untranslated
) -> str:
    """Introduce the matched services (or say plainly that none matched) and the front door.

    The 999 wording is not here: when ``result.emergency`` is set, the caller asks the
    channel for it (safety/replies.py), so it is shown first and only once.
    """
    t = translate
    closing = t(N_("You can also talk to someone at {front_door}.")).format(front_door=front_door)
    parts = [result.guidance] if result.guidance else []
    matches: tuple[Match, ...] = result.matches[:CHAT_LIMIT]
    if not matches:
        parts.append(t(N_("I couldn't find a matching service in our directory just now.")))
        parts.append(closing)
        return "\n\n".join(parts)
    if result.unmet_needs:
        needs = load_taxonomy().needs
        labels = ", ".join(in_sentence(t(needs[n].label)) for n in result.unmet_needs)
        parts.append(t(N_("I don't have a specialist service listed for {needs} yet.")).format(
            needs=labels
        ))  # fmt: skip
    parts.append(t(N_("These services can help. You can contact them when it is safe for you:")))
    parts += [describe_service(m.service, m.reasons, t) for m in matches]
    parts.append(closing)
    return "\n\n".join(parts)


REFER_TO_THE_TEAM = N_(
    "To refer your client to the One Front Door team, with their consent, use the referral "
    "form on this website at /professionals/refer. It goes straight to the team's queue, so "
    "your client won't have to tell their story again."
)


# General advice for everyday problems with no abuse in them, read from the directory so only
# sourced, verified details are shown.
GENERAL_ADVICE_SERVICES = (
    "Citizens Advice Adviceline (England)",
    "Shelter emergency housing helpline",
)


def general_advice_message(directory: Directory, translate: Translate = untranslated) -> str:
    """Citizens Advice and Shelter as the directory has them (empty if neither is listed)."""
    services = [s for s in directory.services if s.name in GENERAL_ADVICE_SERVICES]
    return "\n\n".join(describe_service(s, (), translate) for s in services)
