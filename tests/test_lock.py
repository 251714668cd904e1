"""Dependency drift: the lock pins every installed package at its installed version."""

import re
import subprocess
import sys
from importlib import metadata

from bot.settings import PROJECT_ROOT

LOCK_FILES = [PROJECT_ROOT / "requirements" / n for n in ("lock.txt", "rasa.txt")]
# Rasa 3.6 asks for matplotlib<3.6, which has no Python 3.11 wheels; 3.6 works (rasa only
# plots with it in `rasa test`). See docs/dependencies.md.
ACCEPTED_CONFLICTS = {
    "rasa 3.6.21 has requirement matplotlib<3.6,>=3.1, but you have matplotlib 3.6.3."
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned() -> dict[str, str]:
    pins = {}
    for path in LOCK_FILES:
        for line in path.read_text().splitlines():
            line = line.split("#")[0].strip()
            if line:
                name, _, version = line.partition("==")
                assert version, f"{path.name}: {line!r} is not pinned with =="
                pins[canonical(name)] = version
    return pins


def installed() -> dict[str, str]:
    return {
        canonical(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if canonical(d.metadata["Name"]) != "pip"
    }


def test_every_installed_package_is_pinned_at_its_version():
    pins, have = pinned(), installed()
    unpinned = sorted(set(have) - set(pins))
    wrong = {n: (have[n], pins[n]) for n in have.keys() & pins.keys() if have[n] != pins[n]}
    assert unpinned == [], "installed but not in the lock"
    assert wrong == {}, "installed version differs from the lock"


def test_every_pinned_package_is_installed():
    assert sorted(set(pinned()) - set(installed())) == []


def test_pip_check_finds_only_the_documented_conflict():
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    problems = {line for line in result.stdout.splitlines() if line.strip()}
    assert problems - ACCEPTED_CONFLICTS == set()
