"""Quick exit and no-trace behaviour in a real browser (Debian chromium, headless)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from safety.replies import Reply
from server.privacy import DEFAULT_EXIT_URL

# Counts writes to localStorage, so a write that was later removed is still caught.
WATCH_LOCAL_STORAGE = """
window.__localStorageWrites = 0;
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (this === window.localStorage) { window.__localStorageWrites += 1; }
  return setItem.call(this, key, value);
};
"""


def chat(page: Page, message: str) -> None:
    page.fill("#chat-input", message)
    page.click("#chat-form button[type=submit]")
    expect(page.locator(".msg-bot").last).to_be_visible()


def open_chat_after_another_site(page: Page, live_app, before_url: str) -> None:
    """The person came from another page, so there is somewhere for Back to go."""
    page.goto(before_url)
    page.goto(live_app.url + "/")
    chat(page, "I need some advice")
    expect(page.locator(".msg-you")).to_have_text(re.compile("I need some advice"))


def assert_exited_and_forgotten(page: Page, live_app, before_url: str) -> None:
    page.wait_for_url(DEFAULT_EXIT_URL)
    # The beacon may land just after the navigation.
    for _ in range(100):
        if "/restart" in [text for _, text in live_app.rasa.sent]:
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError("the server was not told to forget the conversation")
    # Back goes to the page before the chat: the chat's history entry was replaced.
    page.go_back()
    assert page.url == before_url
    assert "I need some advice" not in page.content()


def test_the_exit_button_leaves_at_once_and_back_does_not_show_the_chat(
    page, live_app, traffic, before_url
):
    open_chat_after_another_site(page, live_app, before_url)
    page.click("#exit-button")
    assert_exited_and_forgotten(page, live_app, before_url)
    assert traffic.foreign == []


def test_pressing_shift_three_times_exits(page, live_app, before_url):
    open_chat_after_another_site(page, live_app, before_url)
    page.keyboard.press("Shift")
    expect(page.locator("#exit-status")).to_have_text("Shift, press 2 more times to exit.")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert_exited_and_forgotten(page, live_app, before_url)


def test_shift_with_another_key_does_not_exit(page, live_app):
    page.goto(live_app.url + "/")
    page.click("#chat-input")
    for _ in range(3):
        page.keyboard.press("Shift+A")  # typing a capital letter
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")  # another key starts the count again
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == live_app.url + "/"
    expect(page.locator("#chat-input")).to_have_value("AAAa")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")  # three in a row now
    page.wait_for_url(DEFAULT_EXIT_URL)


def test_the_secondary_exit_link_is_reached_first_by_keyboard(page, live_app):
    page.goto(live_app.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Exit this page"
    page.keyboard.press("Enter")
    page.wait_for_url(DEFAULT_EXIT_URL)


def test_the_overlay_hides_the_page_while_leaving(page, live_app):
    page.goto(live_app.url + "/")
    chat(page, "hello")
    # Cancel the navigation, so the page can be seen as it was at the moment of leaving.
    page.route(DEFAULT_EXIT_URL, lambda route: route.abort("aborted"))
    page.click("#exit-button")
    state = page.evaluate(
        """() => ({
            overlay: document.querySelector(".exit-overlay").textContent,
            role: document.querySelector(".exit-overlay").getAttribute("role"),
            mainShown: document.querySelector("main").checkVisibility(),
            messages: document.querySelectorAll("#chat-log li").length,
        })"""
    )
    assert state == {"overlay": "Loading.", "role": "alert", "mainShown": False, "messages": 0}


def test_nothing_is_kept_on_the_device_and_nothing_goes_elsewhere(page, live_app, traffic):
    page.add_init_script(WATCH_LOCAL_STORAGE)
    live_app.rasa.replies = [Reply("I can text you later."), Reply(kind="sms_handoff")]
    page.goto(live_app.url + "/")
    chat(page, "can you text me")
    page.fill("#handoff-number-chat", "07700 900123")
    page.check("#chat-log input[name=consent]")
    page.click("#chat-log .handoff-form button[type=submit]")
    expect(page.locator(".msg-sms_handoff_done")).to_contain_text("ending 123")
    assert page.evaluate("window.localStorage.length") == 0
    assert page.evaluate("window.__localStorageWrites") == 0
    cookies = page.context.cookies()
    assert [c["name"] for c in cookies] == ["session"]
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict"
    assert cookies[0]["expires"] == -1  # ends with the browser session
    assert traffic.foreign == []
    assert all(url.startswith(live_app.url) for url in traffic.requests)
    assert not [e for e in traffic.console_errors if "Content Security Policy" in e]
    # The number never went to the chat bot.
    assert not any("7700" in text for _, text in live_app.rasa.sent)


def test_the_text_me_form_keeps_the_number_out_of_the_chat_and_goes_once_sent(page, live_app):
    live_app.rasa.replies = [Reply("I can text you later."), Reply(kind="sms_handoff")]
    page.goto(live_app.url + "/")
    page.click("#text-me-link")
    page.fill("#handoff-number-chat", "07700 900124")
    assert live_app.rasa.sent[-1][1] == "/request_text"
    page.click("#chat-log .handoff-form button[type=submit]")
    expect(page.locator("[data-handoff-error]")).to_contain_text("safe for us to text")
    expect(page.locator("#handoff-number-chat")).to_have_value("07700 900124")  # kept
    page.check("#chat-log input[name=consent]")
    page.click("#chat-log .handoff-form button[type=submit]")
    expect(page.locator(".msg-sms_handoff_done")).to_contain_text("ending 124")
    assert page.locator("#handoff-number-chat").count() == 0  # the form and number are gone


def test_the_page_works_with_javascript_off(page_without_js, live_app, traffic):
    page = page_without_js
    page.goto(live_app.url + "/")
    page.fill("#chat-input", "hello")
    page.click("#chat-form button[type=submit]")
    expect(page.locator(".msg-bot")).to_have_text(re.compile("Hello from the stand-in."))
    assert live_app.rasa.sent[-1][1] == "hello"
    page.goto(live_app.url + "/text-me")
    page.fill("input[name=number]", "07700 900125")
    page.check("input[name=consent]")
    page.click(".handoff-form button[type=submit]")
    expect(page.locator(".confirmation")).to_contain_text("ending 125")
    page.click("#exit-button")  # a plain link without JavaScript
    page.wait_for_url(DEFAULT_EXIT_URL)
    assert traffic.foreign == []
