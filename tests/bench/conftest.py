"""Benchmarks run only under `make bench` (MOBILISE_BENCH=1), on `load_demo --large` data."""

import os
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

if not os.environ.get("MOBILISE_BENCH"):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", large=True)


@pytest.fixture
def demo_client(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="buyer"))
    return client


def median_seconds(fn, runs=15, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def query_count(fn):
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def report(name, value):
    """One `name: value` line, the format `make bench` prints."""
    if isinstance(value, float):
        value = f"{value:.3f}"
    print(f"\n{name}: {value}", flush=True)
