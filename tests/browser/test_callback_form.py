"""Asking the One Front Door team to make contact, in a real browser (stand-in Rasa): the form
in the chat with JavaScript, and the same form without it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from safety.replies import Reply
from tests.browser.test_quick_exit import WATCH_LOCAL_STORAGE
from tests.test_callback_web import FACTS

OFFER = [Reply("Someone from the team can get in touch."), Reply(kind="callback", data=FACTS)]


def stored(live_app) -> list:
    store = live_app.app.extensions["ofd_callback"].referrals
    return [store.get(entry.id, "test").referral for entry in store.queue()]


def fill_in(page: Page, number: str) -> None:
    page.get_by_label("Call me").check()
    page.get_by_label("Safe number").fill(number)
    page.get_by_role("group", name="Safe times").get_by_label("Evening (5pm to 8pm)").check()
    page.get_by_role("group", name="Is it safe to leave a voicemail?").get_by_label("No").check()
    page.get_by_label("A safe word or name we can use").fill("Sam")


def test_the_callback_form_in_the_chat(page, live_app, traffic):
    page.add_init_script(WATCH_LOCAL_STORAGE)
    live_app.rasa.replies = OFFER
    page.goto(live_app.url + "/")
    page.get_by_role("button", name="Ask someone from our team to contact you").click()
    form = page.locator("#chat-log .callback-form")
    expect(form).to_be_visible()
    assert live_app.rasa.sent[-1][1] == "/request_callback"
    expect(form.locator("[data-callback-summary] li")).to_contain_text(
        ["Who: Someone affected by abuse", "Help with: Safe accommodation and refuge",
         "Safety worries mentioned: a weapon used or threatened", "Area: Dacorum",
         "Details: Has children at home"]
    )  # fmt: skip
    expect(form).to_contain_text("08 088 088 088")  # 'I'll call you': the number to call
    fill_in(page, "07700 900321")
    page.get_by_role("button", name="Ask for a call back").click()
    # Without agreeing, nothing is sent on: a kind message, and everything typed stays.
    expect(form.locator("[data-callback-error]")).to_contain_text("agree to share the summary")
    expect(page.get_by_label("Safe number")).to_have_value("07700 900321")
    expect(page.get_by_label("A safe word or name we can use")).to_have_value("Sam")
    page.get_by_label("I agree to share this summary").check()
    page.get_by_role("button", name="Ask for a call back").click()
    done = page.locator(".msg-callback_done")
    expect(done).to_contain_text("will call you on the number ending 321")
    expect(done).to_contain_text("in the evening (5pm to 8pm)")
    expect(done).to_contain_text("won't leave a voicemail")
    assert page.locator("#chat-log .callback-form").count() == 0  # the form and number are gone
    referral = next(r for r in stored(live_app) if r.contact.number == "+447700900321")
    assert referral.district == "Dacorum" and referral.contact.safe_word == "Sam"
    assert not any("7700" in text for _, text in live_app.rasa.sent)
    assert page.evaluate("window.__localStorageWrites") == 0
    assert traffic.foreign == []
    assert not [e for e in traffic.console_errors if "Content Security Policy" in e]


def test_the_callback_form_without_javascript(page_without_js, live_app, traffic):
    page = page_without_js
    live_app.rasa.replies = OFFER
    page.goto(live_app.url + "/")
    page.get_by_role("button", name="Ask someone from our team to contact you").click()
    expect(page.locator(".callback-form [data-callback-summary]")).to_contain_text("Area: Dacorum")
    fill_in(page, "07700 900322")
    page.get_by_label("I agree to share this summary").check()
    page.get_by_role("button", name="Ask for a call back").click()
    expect(page.locator(".confirmation")).to_contain_text("will call you on the number ending 322")
    assert any(r.contact.number == "+447700900322" for r in stored(live_app))
    assert traffic.foreign == []
