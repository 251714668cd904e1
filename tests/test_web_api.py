"""The web layer with a stand-in for Rasa: validation, safety guard, headers, health."""

from safety.replies import EMERGENCY, UNAVAILABLE


def test_chat_api_forwards_the_message_and_returns_the_reply(client, stand_in_rasa):
    response = client.post("/api/chat", json={"message": "  hello  "})
    assert response.status_code == 200
    assert response.json["messages"][0]["text"] == "Hello from the stand-in."
    [(sender, text)] = stand_in_rasa.sent
    assert text == "hello" and len(sender) >= 20


def test_the_same_browser_keeps_one_conversation(client, stand_in_rasa):
    client.post("/api/chat", json={"message": "one"})
    client.post("/api/chat", json={"message": "two"})
    senders = {sender for sender, _ in stand_in_rasa.sent}
    assert len(senders) == 1


def test_danger_is_answered_first_even_if_the_bot_does_not_see_it(client):
    response = client.post("/api/chat", json={"message": "he's got a knife, help me now"})
    messages = response.json["messages"]
    assert messages[0]["kind"] == EMERGENCY
    assert "999" in messages[0]["text"]


def test_rasa_down_still_answers_danger(client, stand_in_rasa):
    stand_in_rasa.replies = None
    messages = client.post("/api/chat", json={"message": "I'm in danger"}).json["messages"]
    assert [m["kind"] for m in messages] == [EMERGENCY, UNAVAILABLE]
    assert "08 088 088 088" in messages[1]["text"]  # the sourced stand-in helpline


def test_bad_input_gets_a_kind_error_and_reaches_nobody(client, stand_in_rasa):
    for body in ({"message": ""}, {"text": "hi"}, ["hi"], {"message": "x" * 1001}):
        response = client.post("/api/chat", json=body)
        assert response.status_code == 400
        assert response.json["error"]
    response = client.post("/api/chat", data="not json", content_type="application/json")
    assert response.status_code == 400
    assert stand_in_rasa.sent == []


def test_oversized_body_is_refused_kindly(client):
    response = client.post("/api/chat", json={"message": "x" * 20_000})
    assert response.status_code == 413
    assert "shorter" in response.json["error"]


def test_every_response_carries_no_trace_headers(client):
    for response in (client.get("/"), client.get("/no-such-page"), client.get("/healthz")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_session_cookie_is_strict_and_http_only(client):
    response = client.post("/api/chat", json={"message": "hello"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_chat_page_works_without_javascript(client, stand_in_rasa):
    page = client.post("/chat", data={"message": "hello"}).get_data(as_text=True)
    assert "Hello from the stand-in." in page
    assert stand_in_rasa.sent[0][1] == "hello"


def test_no_javascript_form_keeps_the_draft_on_bad_input(client):
    response = client.post("/chat", data={"message": "x" * 1001})
    assert response.status_code == 400
    assert "x" * 1001 in response.get_data(as_text=True)


def test_health_reports_each_part(client, stand_in_rasa):
    response = client.get("/healthz")
    assert response.status_code == 503  # no action server in this test
    assert response.json["rasa"] is True and response.json["actions"] is False
