"""The professionals' 'Where to refer' page in a real browser: keyboard only, no JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

HDAH = "Hertfordshire Domestic Abuse Helpline (HDAH)"


def tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} was never reached with Tab")


def test_a_search_by_keyboard_alone_without_javascript(page_without_js: Page, live_app, traffic):
    page = page_without_js
    page.goto(f"{live_app.url}/professionals")
    # Every control is reachable by its accessible name (labels are tied to fields).
    expect(page.get_by_role("checkbox", name="Housing")).to_be_visible()
    expect(page.get_by_role("combobox", name="District where the person lives")).to_be_visible()

    tab_to(page, "district")
    page.keyboard.type("Stevenage")  # typing picks the option in a focused select
    tab_to(page, "need-housing")
    page.keyboard.press("Space")
    tab_to(page, "risk")
    page.keyboard.type("High")
    tab_to(page, "audience-woman")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form from a checkbox

    heading = page.get_by_role("heading", level=2, name=re.compile(r"\d+ services found"))
    expect(heading).to_be_visible()
    titles = page.get_by_role("heading", level=3).all_inner_texts()
    assert titles[0] == HDAH
    assert "Stevenage Borough Council - housing advice and homelessness" in titles
    expect(page.get_by_text("MARAC", exact=False).first).to_be_visible()
    # The choices survive the round trip, so the person can refine the search.
    expect(page.get_by_role("checkbox", name="Housing")).to_be_checked()
    assert "district=Stevenage" in page.url and "risk=high" in page.url
    assert traffic.foreign == []
