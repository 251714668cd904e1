"""`python -m bot.classify` end to end with the trained model, and its pure parts."""

import json
import subprocess
import sys

import pytest

from bot.classify import describe
from bot.settings import PROJECT_ROOT, load_settings
from server.launch import child_env


def test_describe_combines_model_rules_and_places():
    parsed = {
        "intent": {"name": "stalking", "confidence": 0.81234},
        "entities": [{"entity": "district", "value": "Dacorum"}],
    }
    assert describe("he keeps following me round Hemel", parsed) == {
        "need_type": "stalking",
        "danger": False,
        "high_risk_indicators": ["stalking"],
        "confidence": 0.8123,
        "intent": "stalking",
        "suicide_risk": False,
        "district": "Dacorum",
    }


def test_describe_sees_danger_even_when_the_model_does_not():
    parsed = {"intent": {"name": "housing", "confidence": 0.4}, "entities": []}
    result = describe("he's outside with a knife", parsed)
    assert result["danger"] is True
    assert result["high_risk_indicators"] == ["weapon"]


@pytest.mark.rasa
def test_cli_classifies_json_lines(trained_model):
    lines = [
        {"id": 1, "text": "he is outside and trying to get in"},
        {"id": 2, "text": "I need a refuge for me and my kids in Stevenage"},
        {"id": 3, "text": "my ex is tracking my phone with an app"},
        "not json",
        {"text": "hello"},
        {"id": 6, "text": "I want to end my life"},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    result = subprocess.run(
        [sys.executable, "-m", "bot.classify", "--model", str(trained_model)],
        input=stdin + "\n",
        cwd=PROJECT_ROOT,
        env=child_env(load_settings()),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1  # one line was in error, the rest were still classified
    assert len(out) == 6
    danger, refuge, tech, error, hello, suicide = out
    assert danger["id"] == 1 and danger["need_type"] == "immediate_danger" and danger["danger"]
    assert refuge["need_type"] == "safe_accommodation" and refuge["district"] == "Stevenage"
    assert not refuge["danger"]
    assert tech["need_type"] == "tech_safety"
    assert "error" in error
    assert hello["need_type"] == "greeting"
    assert suicide["suicide_risk"] and suicide["need_type"] == "counselling"
    for item in (danger, refuge, tech, hello, suicide):
        assert 0.0 <= item["confidence"] <= 1.0
        assert isinstance(item["high_risk_indicators"], list)
    # The messages themselves never reach stdout or stderr (nothing is echoed or logged).
    assert "refuge for me" not in result.stdout + result.stderr


def test_cli_without_a_model_says_how_to_get_one(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.classify", "--model", str(tmp_path / "none.tar.gz")],
        input="",
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "make train" in result.stderr
