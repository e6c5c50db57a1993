"""`make bench`: the bounded load test (tests/bench/load.py) on gunicorn and PostgreSQL.

Collected only under MOBILISE_BENCH=1 (see conftest.py). LOAD_DATABASE_URL overrides the
database (default postgres://postgres@127.0.0.1:5432/mobilise_load, created if missing).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).with_name("load.py")


@pytest.mark.timeout(1200)  # setup, 60 s of load, the trivial floor and the two-server run
def test_load_20_clients_for_60_seconds_on_gunicorn_and_postgresql():
    result = subprocess.run(
        [sys.executable, str(LOAD), "--clients", "20", "--seconds", "60", "--slug", "large-demo"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    print("\n" + result.stdout, flush=True)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = dict(re.findall(r"^(load_[a-z0-9_]+): (.*)$", result.stdout, re.MULTILINE))
    assert int(figures["load_requests"]) > 0
    assert int(figures["load_errors"]) == 0, "every request of the load test must succeed"
    assert int(figures["load_saves_acknowledged"]) > 0 and int(figures["load_saves_lost"]) == 0
    assert int(figures["load_trivial_errors"]) == 0
    assert int(figures["load_two_servers_errors"]) == 0, "two app servers on one database must behave as one"
    assert int(figures["load_two_servers_saves_acknowledged"]) > 0
