"""Judgement as a person sees it, in a real browser against the real service (Rasa, action
server, web server): danger in words no phrase rule holds gets 999 guidance first, at phone
and desktop width (screenshots in bench/results/screenshots/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from safety.danger import assess
from tests.browser.conftest import Traffic
from tests.browser.test_handoff_to_advisor import new_page, say
from tests.conftest import RunningService

pytestmark = pytest.mark.rasa

ROMANIAN_DANGER = "sunt ascunsa in dulap, el umbla prin casa cu toporul"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "screenshots"


@pytest.mark.parametrize("width, height", [(375, 740), (1280, 800)], ids=["phone", "desktop"])
def test_romanian_danger_without_a_rule_gets_999_first(
    browser: Browser, running_service: RunningService, width: int, height: int
):
    assert not assess(ROMANIAN_DANGER).immediate_danger
    traffic = Traffic(running_service.web_url)
    page = new_page(browser, running_service, traffic)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(running_service.web_url + "/")
    say(page, ROMANIAN_DANGER)
    first_answer = page.locator("#chat-log .msg-bot").first
    expect(first_answer).to_have_class("msg msg-bot msg-emergency")
    expect(first_answer).to_contain_text("999")
    expect(first_answer).to_contain_text("55")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"danger-ro-{width}.png"), full_page=True)
    assert traffic.foreign == []
