"""The Rasa project itself: training data validates and the test stories pass."""

import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT, load_settings
from server.launch import child_env

pytestmark = pytest.mark.rasa


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=PROJECT_ROOT,
        env=child_env(load_settings()),
        capture_output=True,
        text=True,
        check=False,
    )


def test_training_data_validates_without_warnings():
    result = rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_test_stories_pass_without_prediction_errors(trained_model, tmp_path):
    result = rasa(
        "test", "core",
        "--model", str(trained_model),
        "--stories", "tests/stories",
        "--out", str(tmp_path),
        "--fail-on-prediction-errors",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert (tmp_path / "failed_test_stories.yml").read_text().count("- story:") == 0
