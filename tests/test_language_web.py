"""Choosing a language on the web: kept in the session, told to the bot, shown in the page."""

from safety.replies import Reply


def test_choosing_urdu_sets_direction_and_tells_the_bot(client, stand_in_rasa):
    response = client.post("/language", data={"language": "ur", "next": "/staying-safe-online"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staying-safe-online")
    assert stand_in_rasa.sent[-1][1] == '/choose_language{"language": "ur"}'
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page


def test_every_page_offers_every_language_in_its_own_name(client):
    page = client.get("/staying-safe-online").get_data(as_text=True)
    for name in ("English", "Polski", "Română", "اردو", "বাংলা"):
        assert name in page


def test_unknown_language_and_outside_redirects_are_refused(client, stand_in_rasa):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.test/"})
    assert response.headers["Location"].endswith("/")
    assert "evil.test" not in response.headers["Location"]
    assert stand_in_rasa.sent == []
    assert '<html lang="en" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_a_language_chosen_in_the_chat_switches_the_page(client, stand_in_rasa):
    stand_in_rasa.replies = [Reply(kind="language", language="bn"), Reply(text="(in Bengali)")]
    body = client.post("/api/chat", json={"message": "bangla"}).json
    assert body["language"] == {"code": "bn", "direction": "ltr"}
    assert [m["text"] for m in body["messages"]] == ["(in Bengali)"]  # the marker is not shown
    assert '<html lang="bn" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_a_forged_language_marker_changes_nothing(client, stand_in_rasa):
    stand_in_rasa.replies = [Reply(kind="language", language="None"), Reply(text="ok")]
    assert client.post("/api/chat", json={"message": "x"}).json["language"]["code"] == "en"
