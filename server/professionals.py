"""'Where to refer': the directory for professionals, as a page (no JavaScript) and as JSON,
and the form to refer a client to the One Front Door team (/professionals/refer).

Search by district, needs, risk tier, audience and free text. Each service shows its referral
route, contact details, hours, eligibility, sources and when it was last verified; entries not
verified within ``OFD_DIRECTORY_STALE_DAYS`` days (default 365) are flagged.

A referral lands in the same encrypted queue as the chat's callback requests. Staff-facing,
so the wording here is English.
"""

from __future__ import annotations

import os
from datetime import date

from flask import Blueprint, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from bot.contact import contact_phrase
from bot.directory import (
    Match,
    MatchResult,
    Person,
    load_directory,
    load_taxonomy,
    match,
    match_within,
    search_ids,
)
from bot.i18n import LANGUAGES
from bot.referrals.callback import TIME_CHOICES, CallbackRefused
from bot.referrals.professional import (
    CONSENT_LABEL,
    ReferralFormErrors,
    professional_referral,
)
from bot.referrals.record import CALL, TEXT, THEY_CALL
from bot.referrals.summary import AUDIENCE_LABELS, INDICATOR_LABELS
from bot.triage import NEED_TYPES
from safety.replies import EMERGENCY_TEXT
from server.callback import store_referral
from server.conversation import conversation_id
from server.headers import posted_from_another_site

bp = Blueprint("professionals", __name__)

DEFAULT_STALE_DAYS = 365
MAX_QUERY_LENGTH = 200
RESULT_LIMIT = 50


def stale_after_days() -> int:
    return int(os.environ.get("OFD_DIRECTORY_STALE_DAYS", DEFAULT_STALE_DAYS))


def _person(args: MultiDict) -> Person:
    return Person.from_values(
        needs=args.getlist("need"),
        risk_tier=args.get("risk") or None,
        district=args.get("district") or None,
        role="professional",
        audience=args.getlist("audience"),
        language=args.get("language") or None,
    )


def _search(args: MultiDict) -> tuple[Person, str, MatchResult | None]:
    """The person and search text from the query string, and the result (None: no search yet)."""
    person = _person(args)
    text = (args.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    if not (text or person.needs or person.risk_tier):
        return person, text, None
    db = current_app.extensions["ofd"]["settings"].directory_db
    directory = load_directory(db)
    if text:
        ids = search_ids(db, text, limit=RESULT_LIMIT * 4)
        return person, text, match_within(directory, person, ids, limit=RESULT_LIMIT)
    return person, text, match(directory, person, limit=RESULT_LIMIT)


def _service_json(m: Match, today: date, stale_days: int) -> dict:
    s = m.service
    tx = load_taxonomy()
    return {
        "id": s.id,
        "name": s.name,
        "organization": s.organization,
        "description": s.description,
        "why": list(m.reasons),
        "risk_route": m.risk_route,
        "referral_routes": sorted(s.referral_routes),
        "referral_note": s.referral_note,
        "phones": [{"number": p.number, "note": p.note} for p in s.phones],
        "url": s.url,
        "url_note": s.url_note,
        "email": s.email,
        "email_note": s.email_note,
        "hours": list(s.hours),
        "areas": sorted(s.areas),
        "needs": sorted(s.needs),
        "eligibility": sorted(t for terms in s.eligibility.values() for t in terms),
        "eligibility_labels": [tx.audience[t].label for v in s.eligibility.values() for t in v],
        "eligibility_note": s.eligibility_note,
        "minimum_age": s.minimum_age,
        "maximum_age": s.maximum_age,
        "languages_note": s.languages_note,
        # A confidential location has no address here or anywhere else.
        "locations": [
            {"name": loc.name, "confidential": loc.confidential, "address": loc.address}
            for loc in s.locations
        ],
        "sources": list(s.source_urls),
        "source_date": s.source_date,
        "last_verified": s.assured_date,
        "stale": s.is_stale(today, stale_days),
    }


@bp.get("/professionals")
def page() -> str:
    person, text, result = _search(request.args)
    today, stale_days = date.today(), stale_after_days()
    services = [_service_json(m, today, stale_days) for m in result.matches] if result else []
    return render_template(
        "professionals.html",
        taxonomy=load_taxonomy(),
        person=person,
        query=text,
        result=result,
        services=services,
        emergency_text=EMERGENCY_TEXT,
        stale_days=stale_days,
    )


@bp.get("/api/professionals/services")
def api() -> tuple[dict, int]:
    person, text, result = _search(request.args)
    if result is None:
        return {"error": "Choose a need or a risk tier, or type something to search for."}, 400
    today, stale_days = date.today(), stale_after_days()
    return {
        "emergency": EMERGENCY_TEXT if result.emergency else None,
        "guidance": result.guidance,
        "unmet_needs": list(result.unmet_needs),
        "stale_after_days": stale_days,
        "services": [_service_json(m, today, stale_days) for m in result.matches],
    }, 200


# --- Referring a client to the One Front Door team -------------------------------------------

REFERRALS_PER_SESSION = 20  # a day, from one browser session
TOO_MANY = (
    "This browser has sent a lot of referrals today, so we can't take another here. "
    "Please call {contact}."
)
CROSS_SITE = "Please use the referral form on our own site."
LISTS = ("need", "indicator", "audience", "times")
CONTACT_METHODS = {
    CALL: "Call my client",
    TEXT: "Text my client",
    THEY_CALL: "My client will call you",
}
# 'Advice for professionals' is not something a client needs.
CLIENT_NEEDS = tuple(n for n in NEED_TYPES if n != "professional_referral")


def _referral_values(form: MultiDict) -> dict:
    """The form as typed and chosen: lists for the multiple choices, to check or show again."""
    values: dict = {key: form.get(key, "") for key in form if key not in LISTS}
    values.update({key: form.getlist(key) for key in LISTS})
    return values


def _referral_page(values: dict, errors: list[str], reference: int | None, status: int = 200):
    page = render_template(
        "professional_referral.html",
        taxonomy=load_taxonomy(),
        needs=CLIENT_NEEDS,
        indicators=INDICATOR_LABELS,
        audience=AUDIENCE_LABELS,
        client_languages=LANGUAGES,
        contact_methods=CONTACT_METHODS,
        time_choices=TIME_CHOICES,
        consent_label=CONSENT_LABEL,
        form=values,
        errors=errors,
        reference=reference,
        front_door=contact_phrase(current_app.extensions["ofd"]["front_door"]),
    )
    return page, status


@bp.get("/professionals/refer")
def referral_page() -> tuple[str, int]:
    return _referral_page({key: [] for key in LISTS}, [], None)


@bp.post("/professionals/refer")
def referral_form() -> tuple[str, int]:
    values = _referral_values(request.form)
    contact = contact_phrase(current_app.extensions["ofd"]["front_door"])
    if posted_from_another_site():
        return _referral_page(values, [CROSS_SITE], None, 403)
    try:
        made = professional_referral(values)
        reference = store_referral(
            made.referral, conversation_id(), contact, REFERRALS_PER_SESSION, TOO_MANY
        )
    except ReferralFormErrors as error:
        # Everything typed goes back into the form, with every problem listed.
        return _referral_page(values, error.messages, None, 400)
    except CallbackRefused as error:
        return _referral_page(values, [error.explain()], None, error.status)
    return _referral_page({key: [] for key in LISTS}, [], reference)
