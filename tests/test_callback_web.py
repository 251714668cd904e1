"""The callback request on the web (stand-in Rasa): the offer's facts kept on the server, the
form (JSON and without JavaScript), validation, consent, limits, cross-site refusal, and the
referral stored encrypted without a word the person typed."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from bot.referrals.record import CALL, THEY_CALL, WEB_CHAT
from safety.replies import Reply

FACTS = {
    "needs": ["safe_accommodation"],
    "risk_tier": "high",
    "indicators": ["weapon"],
    "district": "Dacorum",
    "audience": ["children_in_household"],
    "user_role": "survivor",
    "language": "en",
}
OFFER = [Reply("Someone from the team can get in touch."), Reply(kind="callback", data=FACTS)]
ANSWERS = {
    "method": "call",
    "number": "07700 900123",
    "times": ["morning"],
    "voicemail": "no",
    "safe_word": "Sam",
    "consent": True,
}


def offer(client, stand_in_rasa, facts: dict | None = None) -> dict:
    stand_in_rasa.replies = [OFFER[0], Reply(kind="callback", data=facts or FACTS)]
    response = client.post("/api/chat", json={"message": "can someone call me"})
    assert response.status_code == 200
    return response.json


def ask(client, **changes):
    return client.post("/api/callback", json={**ANSWERS, **changes})


def stored_files(app) -> bytes:
    """Every byte the service keeps about referrals and offers (with SQLite's side files)."""
    instance = app.extensions["ofd"]["settings"].instance_dir
    names = ("referrals.sqlite", "callback_drafts.sqlite")
    return b"".join(p.read_bytes() for n in names for p in instance.glob(n + "*"))


def referrals(app) -> list:
    store = app.extensions["ofd_callback"].referrals
    return [store.get(entry.id, "test").referral for entry in store.queue()]


def test_the_offer_keeps_the_facts_on_the_server_and_shows_the_summary(app, client, stand_in_rasa):
    body = offer(client, stand_in_rasa)
    marker = body["messages"][-1]
    assert marker["kind"] == "callback" and "data" not in marker
    assert marker["text"].splitlines() == [
        "Who: Someone affected by abuse",
        "Help with: Safe accommodation and refuge",
        "Safety worries mentioned: a weapon used or threatened",
        "Area: Dacorum",
        "Details: Has children at home",
    ]
    raw = stored_files(app)
    assert b"Dacorum" not in raw and b"weapon" not in raw  # kept, but encrypted
    with sqlite3.connect(app.extensions["ofd_callback"].drafts.path) as db:
        assert db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 1
    with client.session_transaction() as session:
        assert "Dacorum" not in repr(dict(session))  # never in the (signed, not secret) cookie


def test_a_call_back_is_stored_encrypted_and_confirmed(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    response = ask(client)
    assert response.status_code == 200
    [message] = response.json["messages"]
    assert message["kind"] == "callback_done"
    assert "will call you on the number ending 123" in message["text"]
    assert "in the morning (9am to 12 noon)" in message["text"]
    assert "won't leave a voicemail" in message["text"] and '"Sam"' in message["text"]
    [referral] = referrals(app)
    assert referral.source == WEB_CHAT and referral.risk_tier == "high"
    assert referral.needs == ("safe_accommodation",) and referral.district == "Dacorum"
    assert referral.contact.method == CALL and referral.contact.number == "+447700900123"
    assert referral.summary.startswith("Who: Someone affected by abuse")
    raw = stored_files(app)
    assert b"7700900123" not in raw and b"Sam" not in raw and b"Dacorum" not in raw
    assert [text for _, text in stand_in_rasa.sent] == ["can someone call me"]  # no number
    with sqlite3.connect(app.extensions["ofd_callback"].drafts.path) as db:
        assert db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0  # facts moved on


def test_the_offer_is_used_once(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    assert ask(client).status_code == 200
    # A second request in the same chat keeps no facts from the first offer.
    assert ask(client, number="07700 900124").status_code == 200
    second = referrals(app)[-1]
    assert second.needs == () and second.summary.startswith("Nothing from the chat")


def test_every_question_can_be_skipped(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    response = ask(client, method="", times=[], voicemail="", safe_word="")
    assert response.status_code == 200
    assert (
        "get in touch on the number ending 123, as soon as they can"
        in response.json["messages"][0]["text"]
    )


def test_i_will_call_you_gives_the_number_and_hours_and_keeps_no_number(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    text = ask(client, method="they_call").json["messages"][0]["text"]
    assert "Nobody will contact you" in text and "08 088 088 088" in text and "Open: " in text
    [referral] = referrals(app)
    assert referral.contact.method == THEY_CALL and referral.contact.number is None


def test_without_consent_nothing_is_stored_and_the_number_to_call_is_given(
    app, client, stand_in_rasa
):
    offer(client, stand_in_rasa)
    response = ask(client, consent=False)
    assert response.status_code == 400
    assert "agree to share the summary" in response.json["error"]
    assert "08 088 088 088" in response.json["error"]
    assert referrals(app) == []


@pytest.mark.parametrize(
    "changes, says",
    [({"method": "call", "number": ""}, "safe for us to use"),
     ({"method": "text", "number": "01707 123456"}, "UK mobile"),
     ({"number": "0800 123 456"}, "UK phone number"),
     ({"safe_word": "ring 07700900123"}, "letters and spaces"),
     ({"times": ["midnight"]}, "options given"),
     ({"method": "carrier pigeon"}, "options given")],
)  # fmt: skip
def test_bad_answers_get_a_kind_message_and_store_nothing(
    app, client, stand_in_rasa, changes, says
):
    offer(client, stand_in_rasa)
    response = ask(client, **changes)
    assert response.status_code == 400 and says in response.json["error"]
    assert referrals(app) == []


def test_not_json_is_refused_kindly(client):
    response = client.post("/api/callback", data="x", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]


def test_another_site_cannot_post_the_form(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    response = client.post("/api/callback", json=ANSWERS, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    no_js = client.post(
        "/call-me", data={**ANSWERS, "consent": "yes"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert no_js.status_code == 403 and referrals(app) == []


def test_one_chat_can_only_ask_twice_a_day(client, stand_in_rasa):
    assert ask(client).status_code == 200
    assert ask(client, number="07700 900124").status_code == 200
    third = ask(client, number="07700 900125")
    assert third.status_code == 429 and "08 088 088 088" in third.json["error"]


def test_the_service_caps_requests_per_hour(monkeypatch, app):
    from server import callback

    monkeypatch.setattr(callback, "MAX_PER_HOUR", 1)
    assert ask(app.test_client()).status_code == 200
    response = ask(app.test_client(), number="07700 900124")
    assert response.status_code == 429 and "08 088 088 088" in response.json["error"]


def test_a_broken_store_says_so_with_a_number(monkeypatch, app, client):
    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(app.extensions["ofd_callback"].referrals, "add", broken)
    response = ask(client)
    assert response.status_code == 503 and "08 088 088 088" in response.json["error"]


def test_the_chat_page_shows_the_form_and_summary_without_javascript(client, stand_in_rasa):
    stand_in_rasa.replies = OFFER
    page = client.post("/chat", data={"message": "/request_callback"}).get_data(as_text=True)
    assert "Someone from the team can get in touch." in page
    assert page.count('action="/call-me"') == 2  # in the chat, and in the widget's template
    assert "<li>Area: Dacorum</li>" in page
    for label in ("Call me", "Text me", "I'll call you", "Safe number", "Safe times",
                  "Is it safe to leave a voicemail?", "A safe word or name we can use",
                  "I agree to share this summary", "Ask for a call back"):  # fmt: skip
        assert label.replace("'", "&#39;") in page or label in page


def test_the_form_works_without_javascript(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    page = client.get("/call-me").get_data(as_text=True)
    assert "<li>Area: Dacorum</li>" in page and 'name="consent"' in page
    form = {**ANSWERS, "times": ["morning", "evening"], "consent": "yes"}
    response = client.post("/call-me", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "ending 123" in text
    assert "in the morning (9am to 12 noon) or in the evening (5pm to 8pm)" in text
    assert referrals(app)[0].contact.times == "Morning (9am to 12 noon), Evening (5pm to 8pm)"


def test_the_no_javascript_form_keeps_everything_typed_on_error(client, stand_in_rasa):
    offer(client, stand_in_rasa)
    form = {**ANSWERS, "times": ["evening"], "safe_word": "Auntie Jo"}  # no consent
    response = client.post("/call-me", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "agree to share the summary" in page
    assert 'value="07700 900123"' in page and 'value="Auntie Jo"' in page
    assert 'value="call" checked' in page and 'value="evening" checked' in page
    assert 'name="voicemail" value="no" checked' in page
    assert "<li>Area: Dacorum</li>" in page  # the summary is still there to agree to


def test_the_page_without_an_offer_shares_only_the_contact(app, client):
    page = client.get("/call-me").get_data(as_text=True)
    assert "Nothing from the chat apart from the contact details." in page
    client.post("/call-me", data={**ANSWERS, "consent": "yes"})
    assert referrals(app)[0].risk_tier is None


def test_the_form_and_confirmation_are_in_the_persons_language(client, stand_in_rasa):
    from bot.i18n import translate

    client.post("/language", data={"language": "ro"})
    stand_in_rasa.replies = OFFER
    page = client.post("/chat", data={"message": "hello"}).get_data(as_text=True)
    assert translate("I agree to share this summary", "ro") in page
    assert translate("Area: {district}", "ro").format(district="Dacorum") in page
    text = ask(client).json["messages"][0]["text"]
    assert text.startswith(translate("Thank you.", "ro")) and "123" in text


def test_quick_exit_forgets_the_offer(app, client, stand_in_rasa):
    offer(client, stand_in_rasa)
    client.post("/api/forget")
    assert "restart" in stand_in_rasa.sent[-1][1]
    with sqlite3.connect(app.extensions["ofd_callback"].drafts.path) as db:
        assert db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_numbers_and_words_never_reach_the_logs(client, stand_in_rasa, caplog):
    caplog.set_level(logging.DEBUG)
    offer(client, stand_in_rasa)
    ask(client, consent=False)
    ask(client)
    assert "7700" not in caplog.text and "Sam" not in caplog.text and "Dacorum" not in caplog.text


MARKER = "Quokkaberry"  # a word nobody would write by chance


def test_nothing_the_person_typed_reaches_the_referral(app, client, stand_in_rasa):
    """A whole conversation with a distinctive word in every message, and a dialogue that
    (wrongly) put it into every fact: the stored referral and the files never contain it."""
    stand_in_rasa.replies = [Reply("I hear you.")]
    said = [
        f"hello, I'm {MARKER}",
        f"{MARKER} hits me and took my money",
        f"I live at 4 {MARKER} Road in Watford",
        f"my son is called {MARKER}",
    ]
    for text in said:
        client.post("/api/chat", json={"message": text})
    poisoned = {key: MARKER for key in FACTS} | {
        "needs": ["financial", MARKER], "indicators": [MARKER], "audience": [MARKER],
    }  # fmt: skip
    body = offer(client, stand_in_rasa, poisoned)
    assert MARKER not in body["messages"][-1]["text"]
    assert ask(client, safe_word="Sam").status_code == 200
    [referral] = referrals(app)
    assert referral.needs == ("financial",)
    assert MARKER not in repr(referral)  # every field, decrypted
    assert MARKER.encode() not in stored_files(app)
