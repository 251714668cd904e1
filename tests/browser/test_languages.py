"""Languages in a real browser against the whole service (real Rasa and its translating NLG)."""

from __future__ import annotations

from playwright.sync_api import expect

from bot.i18n import translate
from server.privacy import DEFAULT_EXIT_URL
from tests.browser.conftest import Traffic

# A button the bot offers after a greeting (domain.yml utter_ask_how_to_help).
DANGER_BUTTON = "I'm in danger now"


def test_urdu_chat_reads_right_to_left_with_translated_buttons_and_quick_exit(
    browser, running_service
):
    traffic = Traffic(running_service.web_url)
    context = browser.new_context()
    context.route("**/*", traffic.answer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(running_service.web_url + "/")

    page.click("form.language-choice button[value=ur]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    expect(page.locator("#chat-form button[type=submit]")).to_have_text(translate("Send", "ur"))

    page.fill("#chat-input", "السلام علیکم")
    page.click("#chat-form button[type=submit]")
    urdu_title = translate(DANGER_BUTTON, "ur")
    assert urdu_title != DANGER_BUTTON  # the catalog has it
    expect(page.locator(".msg-bot .choices button", has_text=urdu_title)).to_be_visible()

    page.click("#exit-button")
    page.wait_for_url(DEFAULT_EXIT_URL)
    assert traffic.foreign == []
    context.close()
