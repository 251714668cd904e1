"""Leaving safely, at the HTTP level: exit links, forgetting, notice, safety page, headers.
(The real-browser behaviour is in tests/browser/.)"""

from __future__ import annotations

import re

import pytest

from server.privacy import DEFAULT_EXIT_URL, exit_url


def exit_links(page: str) -> list[str]:
    return re.findall(r'<a[^>]*href="([^"]+)"[^>]*data-exit', page)


@pytest.mark.parametrize("path", ["/", "/staying-safe-online", "/text-me", "/no-such-page"])
def test_every_page_has_the_quick_exit_as_a_plain_link(client, path):
    page = client.get(path).get_data(as_text=True)
    assert exit_links(page) == [DEFAULT_EXIT_URL, DEFAULT_EXIT_URL]  # skip link and button
    assert 'rel="nofollow noreferrer"' in page and "exit.js" in page
    assert '<span class="visually-hidden">Emergency</span> Exit this page' in page


def test_the_exit_destination_is_configurable_and_must_be_a_web_address():
    assert exit_url({}) == DEFAULT_EXIT_URL
    assert exit_url({"OFD_EXIT_URL": "https://www.gov.uk/"}) == "https://www.gov.uk/"
    for bad in ("javascript:alert(1)", "/relative", "www.example.com"):
        with pytest.raises(ValueError):
            exit_url({"OFD_EXIT_URL": bad})


def test_forget_drops_the_session_and_restarts_the_conversation(client, stand_in_rasa):
    client.post("/api/chat", json={"message": "hello"})
    conversation = stand_in_rasa.sent[0][0]
    response = client.post("/api/forget")
    assert response.status_code == 204
    assert stand_in_rasa.sent[-1] == (conversation, "/restart")
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    assert "session=;" in response.headers["Set-Cookie"]  # the cookie is deleted
    client.post("/api/chat", json={"message": "hello again"})
    assert stand_in_rasa.sent[-1][0] != conversation  # a fresh, unconnected conversation


def test_forget_without_a_conversation_is_harmless(client, stand_in_rasa):
    assert client.post("/api/forget").status_code == 204
    assert stand_in_rasa.sent == []


def test_the_first_visit_notice_shows_once_per_session(client):
    first = client.get("/").get_data(as_text=True)
    second = client.get("/").get_data(as_text=True)
    assert "first-visit-notice" in first and "Shift" in first
    assert "does not clear your browser history" in first
    assert "first-visit-notice" not in second


def test_the_safety_page_covers_exit_history_private_browsing_and_devices(client):
    page = " ".join(client.get("/staying-safe-online").get_data(as_text=True).split())
    for topic in ("Exit this page", "does <strong>not</strong> clear your browser history",
                  "Private browsing", "Clearing your history", "passwords"):  # fmt: skip
        assert topic in page


def test_pages_load_nothing_from_other_sites(client):
    for path in ("/", "/staying-safe-online", "/text-me"):
        page = client.get(path).get_data(as_text=True)
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        external = [s for s in sources if s.startswith(("http", "//")) and s != DEFAULT_EXIT_URL]
        assert external == [], path
        assert "<script>" not in page and "style=" not in page  # nothing inline for the CSP


def test_strict_headers_on_every_response(client):
    for response in (client.get("/"), client.post("/api/forget"), client.get("/nope")):
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "object-src 'none'" in csp
        assert "http" not in csp  # no third-party origin anywhere
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain http in tests


def test_https_deployments_get_secure_cookies_and_hsts(monkeypatch, tmp_path, seeded_directory):
    from server import create_app
    from tests.conftest import StandInRasa, settings_for_tests

    monkeypatch.setenv("OFD_SECURE_COOKIES", "1")
    settings = settings_for_tests(tmp_path)
    settings.instance_dir.mkdir(parents=True)
    (settings.instance_dir / "directory.sqlite").write_bytes(seeded_directory.read_bytes())
    client = create_app(settings, rasa=StandInRasa()).test_client()
    response = client.get("/")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_data_key_file_is_private_and_stable(tmp_path):
    from server.keys import data_key

    first = data_key(tmp_path, {})
    assert (tmp_path / "data.key").stat().st_mode & 0o777 == 0o600
    assert data_key(tmp_path, {}) == first
    assert data_key(tmp_path, {"OFD_DATA_KEY": "configured"}) == b"configured"
