"""The professionals' 'where to refer' page and its JSON endpoint."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from server.headers import SECURITY_HEADERS

HDAH = "Hertfordshire Domestic Abuse Helpline (HDAH)"


class FormAudit(HTMLParser):
    """Collects what a keyboard or screen-reader user depends on."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[str] = []
        self.labels: set[str] = set()
        self.scripts_inline = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.inputs.append(a.get("id", ""))
        if tag == "label":
            self.labels.add(a.get("for", ""))
        if tag == "script" and "src" not in a:
            self.scripts_inline += 1


def test_the_page_works_without_javascript(client) -> None:
    response = client.get("/professionals")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<form method="get" action="/professionals"' in html
    audit = FormAudit()
    audit.feed(html)
    assert audit.inputs and all(i in audit.labels for i in audit.inputs)  # every field labelled
    assert audit.scripts_inline == 0
    assert "<legend>Needs</legend>" in html
    assert "service found" not in html and "services found" not in html  # nothing until asked


def test_security_headers_are_kept(client) -> None:
    response = client.get("/professionals?need=housing")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert client.get("/api/professionals/services?need=housing").headers["Cache-Control"] == (
        "no-store"
    )


def test_search_by_district_need_risk_and_audience(client) -> None:
    html = client.get(
        "/professionals?district=Stevenage&need=housing&risk=high&audience=woman"
    ).get_data(as_text=True)
    assert "MARAC" in html
    titles = re.findall(r'<h3 id="service-\d+">([^<]+)</h3>', html)
    assert titles[0] == HDAH  # the route to an advocate comes first at high risk
    assert "Stevenage Borough Council - housing advice and homelessness" in titles
    assert not any(t.startswith("Three Rivers") for t in titles)
    assert "Self-referral" in html and "Last verified" in html and "Why it matched" in html
    assert "08 088 088 088" in html and "freephone; not shown on phone bill" in html
    assert "kim@mailpurple.org (confidential email, 2020 source)" in html  # notes stay with data


def test_stale_entries_are_flagged(client, monkeypatch) -> None:
    page = client.get("/professionals?need=advocacy_safety").get_data(as_text=True)
    assert "Check before referring" in page
    data = client.get("/api/professionals/services?need=advocacy_safety").get_json()
    stale = {s["name"]: s["stale"] for s in data["services"]}
    assert stale["Safer Places (refuge gateway and community support)"] is True  # 2017-2020
    assert data["stale_after_days"] == 365
    monkeypatch.setenv("OFD_DIRECTORY_STALE_DAYS", "100000")
    data = client.get("/api/professionals/services?need=advocacy_safety").get_json()
    dated = [s for s in data["services"] if s["last_verified"]]
    assert dated and not any(s["stale"] for s in dated)
    assert all(s["stale"] for s in data["services"] if not s["last_verified"])


def test_json_endpoint(client) -> None:
    data = client.get("/api/professionals/services?need=immediate_danger&audience=deaf").get_json()
    assert data["emergency"].startswith("If you are in danger now, call 999")
    first = data["services"][0]
    assert {"phones", "url", "hours", "referral_routes", "eligibility", "sources"} <= set(first)
    assert client.get("/api/professionals/services").status_code == 400


def test_free_text_search(client) -> None:
    data = client.get("/api/professionals/services?q=rape").get_json()
    names = [s["name"] for s in data["services"]]
    assert "Rape and Sexual Abuse Support Line (24/7)" in names
    assert "Herts Area Rape Crisis and Sexual Abuse Centre (HARCSAC)" in names
    men = client.get("/api/professionals/services?q=rape&audience=man").get_json()
    assert "Herts Area Rape Crisis and Sexual Abuse Centre (HARCSAC)" not in [
        s["name"] for s in men["services"]
    ]
    odd = client.get('/api/professionals/services?q=" OR * NEAR(').get_json()
    assert odd["services"] == []  # search syntax in the text is just words


@pytest.mark.parametrize("query", ["risk=extreme", "district=Essex", "need=<script>"])
def test_unknown_values_are_ignored_safely(client, query: str) -> None:
    response = client.get(f"/professionals?{query}")
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True)


def test_refuge_locations_show_no_address(client) -> None:
    html = client.get("/professionals?need=safe_accommodation").get_data(as_text=True)
    assert html.count("Address confidential: never shared.") >= 1
