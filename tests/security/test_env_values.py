"""Yes/no settings from the environment are strict: a typo stops the start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _check(env):
    # The check is about the settings, not the database: the default SQLite file, whatever
    # DATABASE_URL the suite runs with (CI's PostgreSQL database exists only as test_*).
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update({"SECRET_KEY": "x" * 60, **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("value", ["treu", "2"])
def test_a_misspelt_yes_no_value_stops_the_app(value):
    result = _check({"DEBUG": value})
    assert result.returncode != 0
    assert f"DEBUG={value!r} is not a yes/no value" in result.stderr


@pytest.mark.parametrize("value", ["true", "0", "OFF", ""])
def test_the_listed_words_are_accepted(value):
    result = _check({"DEBUG": value})
    assert result.returncode == 0, result.stderr[-500:]
