"""The whole handoff in a real browser against the real service (Rasa, actions, web server):
a high-risk chat ends in a callback request, and an advisor signs in, claims it, reads the
safe-contact instructions and records an outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.referrals.accounts import AccountStore
from tests.browser.conftest import Traffic
from tests.conftest import RunningService

pytestmark = pytest.mark.rasa

ADVISOR, PASSWORD = "advisor.one", "correct horse battery staple"
MARKER = "zebracrossing"  # typed by the person; must never reach the referral or the console


def new_page(browser: Browser, service: RunningService, traffic: Traffic) -> Page:
    context = browser.new_context()
    context.route("**/*", traffic.answer)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def say(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def choose(page: Page, title: str) -> None:
    """Click the newest button with this title, and wait for the bot's answer."""
    answers = page.locator("#chat-log .msg-bot")
    before = answers.count()
    page.get_by_role("button", name=title, exact=True).last.click()
    expect(answers).not_to_have_count(before)


def test_a_high_risk_chat_reaches_an_advisor_who_claims_it_and_records_an_outcome(
    browser: Browser, running_service: RunningService
):
    traffic = Traffic(running_service.web_url)
    page = new_page(browser, running_service, traffic)
    page.goto(running_service.web_url + "/")

    # The person: a disclosure, the safety questions (one severe answer makes it high risk).
    say(page, f"my husband hits me and I'm scared of him, {MARKER}")
    choose(page, "Yes, ask me")
    expect(page.locator("#chat-log")).to_contain_text("hands round your neck")
    choose(page, "Yes")
    for _ in range(6):
        choose(page, "No")
    choose(page, "Watford")

    # Services, then the offer to be contacted, always made at high risk.
    form = page.locator("#chat-log .callback-form")
    expect(form).to_be_visible()
    page.get_by_label("Call me").check()
    page.get_by_label("Safe number").fill("07700 900456")
    page.get_by_role("group", name="Safe times").get_by_label("Evening (5pm to 8pm)").check()
    page.get_by_role("group", name="Is it safe to leave a voicemail?").get_by_label("No").check()
    page.get_by_label("A safe word or name we can use").fill("Sam")
    page.get_by_label("I agree to share this summary").check()
    page.get_by_role("button", name="Ask for a call back").click()
    done = page.locator(".msg-callback_done")
    expect(done).to_contain_text("will call you on the number ending 456")
    expect(done).to_contain_text("won't leave a voicemail")
    assert not re.search(r"\bhigh\b|risk (tier|score|level)", page.inner_text("#chat-log"), re.I)

    # The advisor, in another browser session.
    AccountStore(running_service.settings.referrals_db).create(
        ADVISOR, PASSWORD, "advisor", actor="test"
    )
    console = new_page(browser, running_service, traffic)
    console.goto(running_service.web_url + "/advisor/")
    console.get_by_label("Username").fill(ADVISOR)
    console.get_by_label("Password").fill(PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    expect(console.get_by_role("heading", name="Referral queue")).to_be_visible()
    console.get_by_role("link", name=re.compile(r"^Referral \d+$")).first.click()

    safe_contact = console.locator("#safe-contact")
    expect(safe_contact).to_contain_text("Call them")
    expect(safe_contact).to_contain_text("+447700900456")
    expect(safe_contact).to_contain_text("Evening")
    expect(safe_contact).to_contain_text("NOT safe: do not leave a voicemail")
    expect(safe_contact).to_contain_text("Sam")
    facts = console.locator("main dl").nth(2)
    expect(facts).to_contain_text(re.compile(r"Risk tier\s*High"))
    expect(facts).to_contain_text("strangulation")  # the indicator behind the tier
    expect(facts).to_contain_text("Watford")

    console.get_by_role("button", name="Claim").click()
    expect(console.locator("main")).to_contain_text(ADVISOR)
    console.get_by_label("Outcome").select_option(label="MARAC referral made")
    console.get_by_role("button", name="Record outcome").click()
    expect(console.locator("[role=status]")).to_be_visible()
    expect(console.locator("main")).to_contain_text("MARAC referral made")

    assert MARKER not in console.content()
    assert traffic.foreign == []
