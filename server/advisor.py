"""The advisor console (/advisor): the referral queue, referrals, outcomes, texts, accounts.

Staff only, and kept apart from the public chat:
- its own cookie (``ofd_advisor``, path /advisor, HttpOnly, SameSite=Strict) holding a random
  session token; the session lives in the referrals database, so signing out, disabling an
  account or the idle timeout (``OFD_ADVISOR_IDLE_MINUTES``, default 15) ends it for good;
  every sign-in starts a new session;
- every POST carries the session's CSRF token (the sign-in form a token of its own), compared
  in constant time; a missing or wrong token is refused with 400;
- no page answers without a live session except the sign-in page; admin pages answer 403
  to advisors;
- pages are plain HTML (no JavaScript), never cached (server/headers.py) and ``noindex``.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from bot.contact import front_door
from bot.directory import MatchResult, Person, load_directory, load_taxonomy, match
from bot.referrals.accounts import (
    ADMIN,
    LOCKOUT_S,
    MAX_FAILURES,
    ROLES,
    AccountError,
    AccountStore,
    idle_timeout_s,
)
from bot.referrals.contact_settings import LABELS, ContactSettings, SettingError, contact_env
from bot.referrals.record import CALL, PROFESSIONAL, SMS_CHAT, TEXT, THEY_CALL, WEB_CHAT
from bot.referrals.reply import MAX_LENGTH, ReplyRefused, check_words, textable_number
from bot.referrals.store import (
    OUTCOMES,
    REFERRED_TO_SERVICE,
    ReferralError,
    ReferralStore,
    StoredReferral,
)
from safety import sms
from server import keys
from server.professionals import stale_after_days
from server.sms import channel

bp = Blueprint("advisor", __name__, url_prefix="/advisor")

COOKIE = "ofd_advisor"
LOGIN_COOKIE = "ofd_advisor_login"  # the sign-in form's CSRF token, before any session
CSRF_FIELD = "csrf_token"
UK_TIME = ZoneInfo("Europe/London")
PUBLIC_ENDPOINTS = {"advisor.login", "advisor.login_form"}
MAX_FIELD = 500  # any one form field; longer input is cut, never stored

SOURCE_LABELS = {WEB_CHAT: "Web chat", SMS_CHAT: "Text chat", PROFESSIONAL: "Professional"}
METHOD_LABELS = {
    TEXT: "Text them",
    CALL: "Call them",
    THEY_CALL: "Do not contact them: they will contact us",
    None: "Not given: contact with care, and only at a safe time",
}
DONE = {
    "claimed": "You have claimed this referral.",
    "outcome": "Outcome recorded.",
    "text": "The text is queued. It will be sent in its window, or not at all.",
}


@dataclass
class Console:
    referrals: ReferralStore
    accounts: AccountStore
    contact: ContactSettings


def console() -> Console:
    return current_app.extensions["ofd_advisor"]


def now() -> float:
    return current_app.config["OFD_ADVISOR_CLOCK"]()


def field(name: str) -> str:
    return (request.form.get(name) or "")[:MAX_FIELD]


def page(template: str, status: int = 200, **context: object) -> tuple[str, int]:
    return render_template(f"advisor/{template}", advisor=g.get("advisor"), **context), status


def refuse(status: int, message: str) -> tuple[str, int]:
    return page("message.html", status, message=message)


def _same(sent: str | None, expected: str | None) -> bool:
    return bool(sent and expected) and hmac.compare_digest(sent.encode(), expected.encode())


# --- Every request: a session, and the CSRF token on every POST --------------------------------


@bp.before_request
def require_session() -> Response | tuple[str, int] | None:
    token = request.cookies.get(COOKIE)
    g.advisor = (
        console().accounts.session(token, current_app.config["OFD_ADVISOR_IDLE_S"], now())
        if token
        else None
    )
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None  # the sign-in form checks its own token
    if g.advisor is None:
        if request.method == "GET":
            return redirect(url_for("advisor.login", ended=1 if token else None), code=303)
        return refuse(403, "Your session has ended. Please sign in again.")
    if request.method == "POST" and not _same(request.form.get(CSRF_FIELD), g.advisor.csrf_token):
        return refuse(400, "This form has expired. Please go back, reload the page and try again.")
    return None


def admin_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args: object, **kwargs: object) -> object:
        if g.advisor.role != ADMIN:
            return refuse(403, "Only an admin can use this page.")
        return view(*args, **kwargs)

    wrapper.admin_only = True  # the tests find every admin page by this mark
    return wrapper


@bp.after_request
def not_for_search_engines(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path=bp.url_prefix,
        httponly=True,
        samesite="Strict",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


# --- Signing in and out ----------------------------------------------------------------------


def _login_page(error: str | None = None, status: int = 200, username: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    notice = "Your session ended. Please sign in again." if request.args.get("ended") else None
    # Rendered as if signed out: the page's only form is the sign-in form.
    body = render_template("advisor/login.html", advisor=None, csrf=token, error=error,
                           notice=notice, username=username)  # fmt: skip
    response = Response(body, status)
    _set_cookie(response, LOGIN_COOKIE, token)
    return response


@bp.get("/login")
def login() -> Response:
    return _login_page()


@bp.post("/login")
def login_form() -> Response | tuple[str, int]:
    if not _same(request.form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE)):
        return refuse(400, "This form has expired. Please go back, reload the page and try again.")
    username = field("username").strip().lower()
    account = console().accounts.authenticate(username, field("password"), now())
    if account is None:
        # The same answer whatever went wrong, so it says nothing about which accounts exist.
        error = (
            f"Those details were not accepted. After {MAX_FAILURES} wrong passwords an account "
            f"is locked for {LOCKOUT_S // 60} minutes; an admin can reset it."
        )
        return _login_page(error, 400, username)
    old = request.cookies.get(COOKIE)
    if old:
        console().accounts.end_session(old)
    token, _ = console().accounts.start_session(account.username, now())
    response = redirect(url_for("advisor.queue"), code=303)
    _set_cookie(response, COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path=bp.url_prefix)
    return response


@bp.post("/logout")
def logout() -> Response:
    console().accounts.end_session(request.cookies[COOKIE])
    response = redirect(url_for("advisor.login"), code=303)
    response.delete_cookie(COOKIE, path=bp.url_prefix)
    return response


# --- The queue and referrals -----------------------------------------------------------------


def waited(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def uk_time(timestamp: float | None) -> str:
    if timestamp is None:
        return "never"
    return datetime.fromtimestamp(timestamp, UK_TIME).strftime("%d %b %Y %H:%M")


def _helpers() -> dict:
    return {
        "waited": waited,
        "uk_time": uk_time,
        "now": now(),
        "source_labels": SOURCE_LABELS,
        "outcomes": OUTCOMES,
        "csrf": g.advisor.csrf_token if g.get("advisor") else "",
    }


@bp.get("/")
def queue() -> tuple[str, int]:
    store = console().referrals
    return page("queue.html", queue=store.queue(), closed=store.recently_closed(), **_helpers())


def _services(stored: StoredReferral) -> tuple[MatchResult, list[str]]:
    """The matched services for this referral, and every service name in the directory."""
    referral = stored.referral
    directory = load_directory(current_app.extensions["ofd"]["settings"].directory_db)
    person = Person.from_values(
        needs=list(referral.needs),
        risk_tier=referral.risk_tier,
        district=referral.district,
        # Guidance in the wording for professionals, except for someone asking for help
        # with their own behaviour, who is matched only to behaviour-change services.
        role="behaviour_change" if referral.user_role == "behaviour_change" else "professional",
        audience=list(referral.audience),
        language=referral.language,
    )
    return match(directory, person), sorted({s.name for s in directory.services})


def _referral_page(
    referral_id: int, error: str | None = None, status: int = 200, form: dict | None = None
) -> tuple[str, int]:
    try:
        stored = console().referrals.get(referral_id, g.advisor.username, now())
    except ReferralError as unreadable:
        return refuse(500, str(unreadable))
    if stored is None:
        return refuse(404, "There is no such referral. It may have been deleted after retention.")
    result, all_services = _services(stored)
    try:
        textable_number(stored.referral.contact)
        why_no_text = None
    except ReplyRefused as refused:
        why_no_text = str(refused)
    tx = load_taxonomy()
    return page(
        "referral.html",
        status,
        stored=stored,
        r=stored.referral,
        method_label=METHOD_LABELS.get(stored.referral.contact.method, METHOD_LABELS[None]),
        needs=[tx.needs[n].label if n in tx.needs else n for n in stored.referral.needs],
        audience=[
            tx.audience[a].label if a in tx.audience else a for a in stored.referral.audience
        ],
        language=tx.languages.get(stored.referral.language, stored.referral.language),
        result=result,
        matched_names=[m.service.name for m in result.matches],
        all_services=all_services,
        why_no_text=why_no_text,
        today=date.today(),
        stale_days=stale_after_days(),
        max_text=MAX_LENGTH,
        done=DONE.get(request.args.get("done", "")),
        error=error,
        form=form or {},
        **_helpers(),
    )


@bp.get("/referrals/<int:referral_id>")
def referral(referral_id: int) -> tuple[str, int]:
    return _referral_page(referral_id)


def _done(referral_id: int, what: str) -> Response:
    return redirect(url_for("advisor.referral", referral_id=referral_id, done=what), code=303)


@bp.post("/referrals/<int:referral_id>/claim")
def claim(referral_id: int) -> Response | tuple[str, int]:
    try:
        console().referrals.claim(referral_id, g.advisor.username, now())
    except ReferralError as error:
        return _referral_page(referral_id, str(error), 400)
    return _done(referral_id, "claimed")


@bp.post("/referrals/<int:referral_id>/outcome")
def outcome(referral_id: int) -> Response | tuple[str, int]:
    chosen, service = field("outcome"), field("service")
    if chosen == REFERRED_TO_SERVICE:
        directory = load_directory(current_app.extensions["ofd"]["settings"].directory_db)
        if service not in {s.name for s in directory.services}:
            return _referral_page(referral_id, "Choose the service from the list.", 400,
                                  request.form)  # fmt: skip
    else:
        service = ""
    try:
        console().referrals.record_outcome(referral_id, g.advisor.username, chosen, service, now())
    except ReferralError as error:
        return _referral_page(referral_id, str(error), 400, request.form)
    return _done(referral_id, "outcome")


@bp.post("/referrals/<int:referral_id>/text")
def text(referral_id: int) -> Response | tuple[str, int]:
    try:
        _queue_text(referral_id)
    except (ReplyRefused, ReferralError) as error:
        # What the advisor wrote goes back into the form.
        return _referral_page(referral_id, str(error), 400, request.form)
    return _done(referral_id, "text")


def _queue_text(referral_id: int) -> None:
    """Queue the advisor's words through the discreet text-me-later path (server/handoff.py):
    encrypted while waiting, sent by the SMS worker in its window, then wiped."""
    store = console().referrals
    with_contact = store.get(referral_id, g.advisor.username, now())
    if with_contact is None:
        raise ReferralError("There is no such referral.")
    if with_contact.claimed_by != g.advisor.username:
        raise ReferralError("Claim this referral before texting.")
    number = textable_number(with_contact.referral.contact)
    body = check_words(field("message"))
    when = field("when") or sms.SOON
    if when == "later":
        when = field("time")
    try:
        send_after, latest = sms.send_window(when, datetime.fromtimestamp(now(), UK_TIME))
    except sms.InvalidTime:
        raise ReplyRefused("Choose 'as soon as possible' or a time such as 19:30.") from None
    if request.form.get("safe_time") != "yes":
        raise ReplyRefused("Tick the box to confirm this is within the safe times they gave.")
    sms_channel = channel()
    if not sms_channel.twilio.can_send:
        raise ReplyRefused("Texts cannot be sent: Twilio is not configured.")
    number_key = sms.number_key(number, sms_channel.hash_key)
    if sms_channel.state.is_opted_out(number_key):
        raise ReplyRefused("This number has texted STOP: no texts can be sent to it.")
    if sms_channel.handoffs.waiting_for(number_key):
        raise ReplyRefused("A text to this number is already waiting to be sent.")
    sms_channel.handoffs.add(number, body, number_key, send_after.timestamp(), latest.timestamp())
    store.note_text_queued(referral_id, g.advisor.username, now())


# --- Admin: accounts, contact settings, audit log ------------------------------------------


@bp.get("/accounts")
@admin_only
def accounts() -> tuple[str, int]:
    return _accounts_page()


def _accounts_page(
    error: str | None = None, status: int = 200, done: str | None = None, form: dict | None = None
) -> tuple[str, int]:
    return page("accounts.html", status, accounts=console().accounts.accounts(), roles=ROLES,
                error=error, done=done, form=form or {}, **_helpers())  # fmt: skip


@bp.post("/accounts")
@admin_only
def create_account() -> tuple[str, int]:
    username = field("username").strip().lower()
    try:
        console().accounts.create(
            username, field("password"), field("role"), g.advisor.username, now()
        )
    except AccountError as error:
        return _accounts_page(str(error), 400, form={"username": username})
    return _accounts_page(done=f"Account {username} created.")


@bp.post("/accounts/<username>/disable")
@admin_only
def disable_account(username: str) -> tuple[str, int]:
    return _set_disabled(username, True)


@bp.post("/accounts/<username>/enable")
@admin_only
def enable_account(username: str) -> tuple[str, int]:
    return _set_disabled(username, False)


def _set_disabled(username: str, disabled: bool) -> tuple[str, int]:
    if disabled and username == g.advisor.username:
        return _accounts_page("You cannot disable your own account.", 400)
    try:
        console().accounts.set_disabled(username, disabled, g.advisor.username, now())
    except AccountError as error:
        return _accounts_page(str(error), 400)
    return _accounts_page(done=f"Account {username} {'disabled' if disabled else 'enabled'}.")


@bp.post("/accounts/<username>/password")
@admin_only
def reset_password(username: str) -> tuple[str, int]:
    try:
        console().accounts.reset_password(username, field("password"), g.advisor.username, now())
    except AccountError as error:
        return _accounts_page(f"{username}: {error}", 400)
    return _accounts_page(done=f"New password set for {username}; their sessions have ended.")


@bp.get("/settings")
@admin_only
def settings() -> tuple[str, int]:
    return _settings_page()


def _settings_page(
    error: str | None = None, status: int = 200, done: str | None = None, form: dict | None = None
) -> tuple[str, int]:
    overrides = console().contact.overrides()
    values = form or {name: o.value for name, o in overrides.items()}
    return page("settings.html", status, labels=LABELS, overrides=overrides, values=values,
                in_use=current_app.extensions["ofd"]["front_door"], error=error, done=done,
                **_helpers())  # fmt: skip


@bp.post("/settings")
@admin_only
def save_settings() -> tuple[str, int]:
    values = {name: field(name) for name in LABELS}
    try:
        changed = console().contact.save(values, g.advisor.username, now())
    except SettingError as error:
        return _settings_page(str(error), 400, form=values)
    try:
        refresh_front_door(current_app)
    except LookupError as error:  # no phone set and no stand-in in the directory
        return _settings_page(str(error), 500)
    return _settings_page(done=f"{len(changed)} setting(s) changed." if changed else "No change.")


@bp.get("/audit")
@admin_only
def audit_log() -> tuple[str, int]:
    return page("audit.html", entries=console().referrals.db.recent_audit(), **_helpers())


# --- Wiring ----------------------------------------------------------------------------------


def refresh_front_door(app: Flask) -> None:
    """Use the contact settings as saved now, in this process, for the chat and texts."""
    ofd = app.extensions["ofd"]
    settings = ofd["settings"]
    ofd["front_door"] = front_door(
        settings.directory_db, contact_env(os.environ, settings.referrals_db)
    )
    if "ofd_sms" in app.extensions:
        app.extensions["ofd_sms"].phone = ofd["front_door"].phone


def init_app(app: Flask) -> None:
    settings = app.extensions["ofd"]["settings"]
    fernet = keys.fernet(settings.instance_dir)
    path = settings.referrals_db
    app.extensions["ofd_advisor"] = Console(
        referrals=ReferralStore(path, fernet, settings.referral_retention_days),
        accounts=AccountStore(path),
        contact=ContactSettings(path),
    )
    app.config.setdefault("OFD_ADVISOR_CLOCK", time.time)  # tests move time on
    app.config.setdefault("OFD_ADVISOR_IDLE_S", idle_timeout_s())
    app.register_blueprint(bp)
