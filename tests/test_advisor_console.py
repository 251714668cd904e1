"""The advisor console (/advisor): sign-in, sessions, CSRF, roles, the queue, referrals,
outcomes, texts and the admin pages, through the Flask test client."""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import replace

import pytest

from bot.referrals.accounts import ADMIN, ADVISOR, LOCKOUT_S, MAX_FAILURES
from bot.referrals.contact_settings import PHONE, contact_env
from bot.referrals.record import CALL, THEY_CALL, SafeContact
from bot.referrals.store import CLOSED, DAY_S, REFERRED_TO_SERVICE
from safety.handoff_store import PENDING
from server.advisor import COOKIE, PUBLIC_ENDPOINTS
from server.sms_worker import purge_referrals
from tests.test_referral_store import NUMBER, SAFE_WORD, SUMMARY, file_bytes, marked_referral

PASSWORD = "a long enough password"
T0 = 1_800_000_000.0  # a Friday, 09:20 in London
SERVICE = "Hertfordshire Domestic Abuse Helpline (HDAH)"
IDLE_S = 15 * 60


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def twilio_env(monkeypatch):
    monkeypatch.setenv("OFD_TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("OFD_TWILIO_AUTH_TOKEN", "test-auth-token")
    monkeypatch.setenv("OFD_TWILIO_FROM", "+447700900999")


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock()
    app.config["OFD_ADVISOR_CLOCK"] = clock
    return clock


@pytest.fixture
def console(app, clock):
    console = app.extensions["ofd_advisor"]
    console.accounts.create("ada", PASSWORD, ADMIN, "test", now=T0)
    console.accounts.create("amy", PASSWORD, ADVISOR, "test", now=T0)
    return console


@pytest.fixture
def referral_id(console) -> int:
    return console.referrals.add(marked_referral(), now=T0 - 3600)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def sign_in(client, username: str, password: str = PASSWORD):
    page = client.get("/advisor/login").get_data(as_text=True)
    return client.post(
        "/advisor/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page)},
    )


def signed_in(client, username: str) -> str:
    """Sign in; returns the session's CSRF token."""
    assert sign_in(client, username).status_code == 303
    return csrf_of(client.get("/advisor/").get_data(as_text=True))


def console_rules(app) -> list:
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/advisor")]
    assert len(rules) >= 12  # the enumeration itself works
    return rules


def url_for_rule(rule, referral_id: int = 1) -> str:
    values = {"referral_id": referral_id, "username": "amy"}
    return rule.build({k: values[k] for k in rule.arguments})[1]


def methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def audit_actions(console) -> list[tuple[str, str]]:
    return [(e.actor, e.action) for e in reversed(console.referrals.db.recent_audit())]


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cookie", [None, "made-up-token"])
def test_no_console_page_or_action_without_signing_in(app, client, console, referral_id, cookie):
    if cookie:
        client.set_cookie(COOKIE, cookie, path="/advisor")
    checked = 0
    for rule in console_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in methods(rule):
            url = url_for_rule(rule, referral_id)
            response = client.open(url, method=method, data={"csrf_token": "x"})
            body = response.get_data(as_text=True)
            if method == "GET":
                assert response.status_code == 303, url
                assert response.headers["Location"].startswith("/advisor/login"), url
            else:
                assert response.status_code == 403, url
            assert SAFE_WORD not in body and "amy" not in body, url
            checked += 1
    assert checked >= 12
    assert {"advisor.login", "advisor.login_form"} == PUBLIC_ENDPOINTS
    stored = console.referrals.get(referral_id, "check")
    assert (stored.state, stored.claimed_by) == ("new", None)


def test_every_post_needs_the_sessions_csrf_token(app, client, console, referral_id):
    signed_in(client, "ada")
    other = app.test_client()
    other_token = signed_in(other, "amy")  # a real token, but another session's
    posts = [r for r in console_rules(app) if "POST" in r.methods]
    assert len(posts) >= 8
    for rule in posts:
        url = url_for_rule(rule, referral_id)
        for data in ({}, {"csrf_token": "wrong"}, {"csrf_token": other_token}):
            response = client.post(url, data={**data, "username": "ada", "password": PASSWORD})
            assert response.status_code == 400, (url, data)
    # Nothing was changed, and the session is still alive (sign-out was refused too).
    assert client.get("/advisor/").status_code == 200
    assert console.referrals.get(referral_id, "check").claimed_by is None
    assert not any(a.disabled for a in console.accounts.accounts())


def test_advisors_get_403_on_every_admin_page(app, client, console, referral_id):
    token = signed_in(client, "amy")
    admin_rules = [
        r for r in console_rules(app) if getattr(app.view_functions[r.endpoint], "admin_only", 0)
    ]
    assert {r.endpoint for r in admin_rules} >= {
        "advisor.accounts",
        "advisor.create_account",
        "advisor.disable_account",
        "advisor.reset_password",
        "advisor.settings",
        "advisor.save_settings",
        "advisor.audit_log",
    }
    for rule in admin_rules:
        for method in methods(rule):
            data = {"csrf_token": token, "username": "eve", "password": PASSWORD, "role": ADMIN}
            response = client.open(url_for_rule(rule, referral_id), method=method, data=data)
            assert response.status_code == 403, rule.rule
    assert [a.username for a in console.accounts.accounts()] == ["ada", "amy"]
    nav = client.get("/advisor/").get_data(as_text=True)
    assert "Accounts" not in nav and "Audit log" not in nav


def test_an_admin_reaches_every_console_page(app, client, console, referral_id):
    signed_in(client, "ada")
    for rule in console_rules(app):
        if "GET" in rule.methods and rule.endpoint != "advisor.login":
            assert client.get(url_for_rule(rule, referral_id)).status_code == 200, rule.rule


def test_every_console_page_is_not_cached_or_indexed(app, client, console, referral_id):
    signed_in(client, "ada")
    for url in ("/advisor/login", "/advisor/", f"/advisor/referrals/{referral_id}"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store"
        assert "noindex" in response.headers["X-Robots-Tag"]
        if response.status_code == 200:
            assert '<meta name="robots" content="noindex' in response.get_data(as_text=True)


# --- Signing in -----------------------------------------------------------------------------


def test_signing_in_starts_a_fresh_session_on_its_own_cookie(app, client, console):
    assert sign_in(client, "amy").status_code == 303
    first = client.get_cookie(COOKIE, path="/advisor")
    assert first.http_only and first.same_site == "Strict" and first.path == "/advisor"
    assert sign_in(client, "amy").status_code == 303
    second = client.get_cookie(COOKIE, path="/advisor")
    assert second.value != first.value
    # The old session was ended when the new one started.
    assert console.accounts.session(first.value, IDLE_S) is None
    client.get("/advisor/")
    assert client.get_cookie("session") is None  # the public chat's cookie is not used


def test_sign_out_ends_the_session_for_good(client, console):
    token = signed_in(client, "amy")
    cookie = client.get_cookie(COOKIE, path="/advisor").value
    assert client.post("/advisor/logout", data={"csrf_token": token}).status_code == 303
    assert console.accounts.session(cookie, IDLE_S) is None
    client.set_cookie(COOKIE, cookie, path="/advisor")  # a copied cookie is no use either
    assert client.get("/advisor/").status_code == 303


def test_lockout_after_repeated_failures(client, console, clock):
    refused = sign_in(client, "nobody").get_data(as_text=True)
    message = re.search(r'id="login-error">([^<]+)<', refused)[1]
    for _ in range(MAX_FAILURES):
        response = sign_in(client, "amy", "not the password")
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    # Locked: even the right password is refused, with the very same answer.
    response = sign_in(client, "amy")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    clock.now += LOCKOUT_S - 1
    assert sign_in(client, "amy").status_code == 400
    clock.now += 1
    assert sign_in(client, "amy").status_code == 303
    assert ("amy", "account_locked") in audit_actions(console)


def test_a_failed_sign_in_keeps_the_username(client, console):
    body = sign_in(client, "amy", "Xq9-not-it").get_data(as_text=True)
    assert 'value="amy"' in body and "Xq9-not-it" not in body


def test_the_session_ends_after_the_idle_timeout(client, console, clock):
    signed_in(client, "amy")
    clock.now += IDLE_S
    assert client.get("/advisor/").status_code == 200  # still alive, and restarted
    clock.now += IDLE_S + 1
    response = client.get("/advisor/")
    assert response.status_code == 303 and "ended=1" in response.headers["Location"]
    clock.now -= IDLE_S  # gone for good, not just out of time
    assert client.get("/advisor/").status_code == 303
    assert "Your session ended" in client.get("/advisor/login?ended=1").get_data(as_text=True)


def test_a_disabled_advisor_is_signed_out_at_once(client, console):
    signed_in(client, "amy")
    console.accounts.set_disabled("amy", True, "ada")
    assert client.get("/advisor/").status_code == 303


# --- The queue and a referral ---------------------------------------------------------------


def test_the_queue_is_ordered_by_risk_then_waiting_time(client, console, clock):
    store = console.referrals
    standard = store.add(marked_referral(risk_tier="standard"), now=T0 - 7200)
    unknown = store.add(marked_referral(risk_tier=None), now=T0 - 9000)
    high = store.add(marked_referral(risk_tier="high"), now=T0 - 60)
    medium = store.add(marked_referral(risk_tier="medium"), now=T0 - 600)
    store.claim(medium, "amy", now=T0)
    signed_in(client, "amy")
    body = client.get("/advisor/").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r">Referral (\d+)</a></td>", body)]
    assert shown == [high, medium, standard, unknown]
    row = body[body.index(f">Referral {standard}<") :].split("</tr>")[0]
    assert "Standard" in row and "Professional" in row and "2 h 0 min" in row
    assert "Not claimed" in row
    assert "amy" in body[body.index(f">Referral {medium}<") :].split("</tr>")[0]
    assert SAFE_WORD not in body and SUMMARY not in body  # the queue opens nothing


def test_a_referral_shows_safe_contact_first_then_the_facts(client, console, referral_id):
    signed_in(client, "amy")
    body = client.get(f"/advisor/referrals/{referral_id}").get_data(as_text=True)
    safe = body.index("Safe contact")
    assert safe < body.index("What they told us") < body.index("Matched services")
    box = body[safe : body.index("</section>", safe)]
    assert NUMBER in box and SAFE_WORD in box and "after 6pm" in box and "Text them" in box
    assert "treat as NOT safe" in box  # voicemail_ok is None
    for fact in (SUMMARY, "Housing", "Dacorum", "strangulation", "Polish", "Quillonby Referrer"):
        assert fact in body, fact
    assert "High" in body
    # High risk: the route to an advocate (IDVA) from the directory, with MARAC guidance.
    assert "MARAC" in body
    assert ("amy", "viewed") in audit_actions(console)


@pytest.mark.parametrize(
    "voicemail, says", [(True, "Safe to leave a voicemail"), (False, "NOT safe: do not")]
)
def test_voicemail_answers_are_shown_as_given(client, console, voicemail, says):
    referral = marked_referral()
    referral = replace(referral, contact=replace(referral.contact, voicemail_ok=voicemail))
    referral_id = console.referrals.add(referral)
    signed_in(client, "amy")
    assert says in client.get(f"/advisor/referrals/{referral_id}").get_data(as_text=True)


def test_claim_and_record_outcomes(client, console, referral_id):
    token = signed_in(client, "amy")
    url = f"/advisor/referrals/{referral_id}"
    assert "Record outcome" not in client.get(url).get_data(as_text=True)  # claim first
    response = client.post(f"{url}/claim", data={"csrf_token": token})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have claimed this referral" in page and "Record outcome" in page
    assert SERVICE in page  # offered from the directory

    response = client.post(f"{url}/outcome", data={"csrf_token": token, "outcome": "contacted"})
    assert response.status_code == 303
    made_up = {"csrf_token": token, "outcome": REFERRED_TO_SERVICE, "service": "Made-up service"}
    response = client.post(f"{url}/outcome", data=made_up)
    assert response.status_code == 400 and "from the list" in response.get_data(as_text=True)
    real = {**made_up, "service": SERVICE}
    assert client.post(f"{url}/outcome", data=real).status_code == 303

    stored = console.referrals.get(referral_id, "check")
    assert (stored.state, stored.outcome, stored.service_name) == (
        CLOSED,
        REFERRED_TO_SERVICE,
        SERVICE,
    )
    actions = audit_actions(console)
    assert actions.index(("amy", "claimed")) < actions.index(("amy", "outcome"))
    assert actions.count(("amy", "outcome")) == 2


def test_only_the_holder_records_an_outcome(app, client, console, referral_id):
    console.referrals.claim(referral_id, "ada")
    token = signed_in(client, "amy")
    data = {"csrf_token": token, "outcome": "contacted"}
    response = client.post(f"/advisor/referrals/{referral_id}/outcome", data=data)
    assert response.status_code == 400 and "Claim this referral" in response.get_data(as_text=True)
    page = client.get(f"/advisor/referrals/{referral_id}").get_data(as_text=True)
    assert "ada holds this referral" in page


# --- Reply by text --------------------------------------------------------------------------


def text(client, referral_id, token, **fields):
    data = {"csrf_token": token, "message": "Hi, it's Sam. Call back when it suits you.",
            "when": "soon", "safe_time": "yes", **fields}  # fmt: skip
    return client.post(f"/advisor/referrals/{referral_id}/text", data=data)


def test_a_text_reply_is_queued_encrypted_on_the_discreet_path(app, client, console, referral_id):
    token = signed_in(client, "amy")
    client.post(f"/advisor/referrals/{referral_id}/claim", data={"csrf_token": token})
    response = text(client, referral_id, token, message=f"Hi {SAFE_WORD}, it's Sam. Call back.")
    assert response.status_code == 303
    handoffs = app.extensions["ofd_sms"].handoffs
    assert handoffs.state(1) == PENDING
    [claim] = handoffs.claim_due(T0 + 60)
    assert claim.to == "+447700900461" and SAFE_WORD in claim.body
    assert claim.latest == T0 + 30 * 60  # never sent after its safe window
    raw = file_bytes(handoffs.path)
    assert b"7700900461" not in raw and SAFE_WORD.encode() not in raw
    assert ("amy", "text_queued") in audit_actions(console)


@pytest.mark.parametrize(
    "fields, says",
    [
        ({"message": "About the domestic abuse helpline"}, "'domestic'"),
        ({"message": ""}, "Write the words"),
        ({"safe_time": ""}, "within the safe times"),
        ({"when": "later", "time": "25:00"}, "such as 19:30"),
    ],
)
def test_a_text_reply_is_refused_with_the_words_kept(client, console, referral_id, fields, says):
    token = signed_in(client, "amy")
    client.post(f"/advisor/referrals/{referral_id}/claim", data={"csrf_token": token})
    response = text(client, referral_id, token, **fields)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and says in body
    if fields.get("message"):
        assert fields["message"] in body  # what they wrote is not lost


def test_one_waiting_text_per_number(client, console, referral_id):
    token = signed_in(client, "amy")
    client.post(f"/advisor/referrals/{referral_id}/claim", data={"csrf_token": token})
    assert text(client, referral_id, token).status_code == 303
    response = text(client, referral_id, token)
    assert response.status_code == 400 and "already waiting" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "contact, says",
    [
        (SafeContact(method=CALL, number=NUMBER), "asked to be called"),
        (SafeContact(method=THEY_CALL), "will contact us"),
        (SafeContact(method=None, number=NUMBER), "did not say that a text is safe"),
        (SafeContact(method="text", number=None), "did not give a number"),
        (SafeContact(method="text", number="01707 123456"), "not a UK mobile"),
    ],
)
def test_no_text_unless_they_said_a_text_is_safe(app, client, console, contact, says):
    referral_id = console.referrals.add(replace(marked_referral(), contact=contact))
    token = signed_in(client, "amy")
    client.post(f"/advisor/referrals/{referral_id}/claim", data={"csrf_token": token})
    page = client.get(f"/advisor/referrals/{referral_id}").get_data(as_text=True)
    assert says in page and "Queue text" not in page
    response = text(client, referral_id, token)
    assert response.status_code == 400 and says in response.get_data(as_text=True)
    assert app.extensions["ofd_sms"].handoffs.state(1) is None


# --- Admin pages ----------------------------------------------------------------------------


def test_admins_create_disable_and_reset_accounts(app, client, console):
    token = signed_in(client, "ada")
    data = {"csrf_token": token, "username": "ben", "password": PASSWORD, "role": ADVISOR}
    response = client.post("/advisor/accounts", data=data)
    assert response.status_code == 200 and "Account ben created" in response.get_data(as_text=True)
    response = client.post("/advisor/accounts", data={**data, "password": "short"})
    assert response.status_code == 400 and 'value="ben"' in response.get_data(as_text=True)

    ben = app.test_client()
    signed_in(ben, "ben")
    client.post("/advisor/accounts/ben/disable", data={"csrf_token": token})
    assert ben.get("/advisor/").status_code == 303 and sign_in(ben, "ben").status_code == 400
    client.post("/advisor/accounts/ben/enable", data={"csrf_token": token})
    new = {"csrf_token": token, "password": "a different long password"}
    assert client.post("/advisor/accounts/ben/password", data=new).status_code == 200
    assert sign_in(ben, "ben", "a different long password").status_code == 303
    response = client.post("/advisor/accounts/ada/disable", data={"csrf_token": token})
    assert response.status_code == 400  # not your own account
    actions = audit_actions(console)
    for action in ("account_created", "account_disabled", "account_enabled", "password_reset"):
        assert ("ada", action) in actions


def test_admins_set_the_front_door_contact_details(app, client, console):
    token = signed_in(client, "ada")
    values = {"csrf_token": token, "OFD_FRONT_DOOR_NAME": "the One Front Door",
              "OFD_FRONT_DOOR_PHONE": "0800 123 4567", "OFD_FRONT_DOOR_WEB": ""}  # fmt: skip
    response = client.post("/advisor/settings", data=values)
    assert response.status_code == 200 and "Set by ada" in response.get_data(as_text=True)
    assert app.extensions["ofd"]["front_door"].phone == "0800 123 4567"
    assert app.extensions["ofd_sms"].phone == "0800 123 4567"
    assert console.contact.overrides()[PHONE].changed_by == "ada"
    # The actions server reads the same overrides on top of its environment.
    referrals_db = app.extensions["ofd"]["settings"].referrals_db
    assert contact_env({PHONE: "0300 000 0000"}, referrals_db)[PHONE] == "0800 123 4567"
    assert ("ada", "setting_changed") in audit_actions(console)

    wrong = {**values, "OFD_FRONT_DOOR_PHONE": "call us"}
    response = client.post("/advisor/settings", data=wrong)
    assert response.status_code == 400 and 'value="call us"' in response.get_data(as_text=True)
    assert app.extensions["ofd"]["front_door"].phone == "0800 123 4567"  # nothing changed

    client.post("/advisor/settings", data={**values, "OFD_FRONT_DOOR_PHONE": ""})
    assert app.extensions["ofd"]["front_door"].phone == "08 088 088 088"  # the stand-in again


# --- Retention ------------------------------------------------------------------------------


def test_the_sms_worker_pass_purges_expired_referrals_and_sessions(app, console, referral_id):
    path = app.extensions["ofd"]["settings"].referrals_db
    token, _ = console.accounts.start_session("amy", now=T0)
    console.referrals.claim(referral_id, "amy", now=T0 - 60)
    console.referrals.record_outcome(referral_id, "amy", REFERRED_TO_SERVICE, SERVICE, T0 - 60)
    purge_referrals(console.referrals, console.accounts, T0 + 29 * DAY_S)
    assert console.referrals.get(referral_id, "check") is not None
    purge_referrals(console.referrals, console.accounts, T0 + 31 * DAY_S)
    assert console.referrals.get(referral_id, "check") is None
    assert console.accounts.session(token, IDLE_S, now=T0) is None
    db = sqlite3.connect(path)
    details = db.execute("SELECT count(*) FROM audit WHERE detail IS NOT NULL").fetchone()
    db.close()
    assert details == (0,)
    assert SERVICE.encode() not in file_bytes(path)


def test_without_a_referrals_database_the_environment_is_used_as_it_is(tmp_path):
    missing = tmp_path / "referrals.sqlite"
    assert contact_env({PHONE: "0300 000 0000"}, missing) == {PHONE: "0300 000 0000"}
    assert not missing.exists()
