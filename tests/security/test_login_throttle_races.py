"""Log-in throttling under parallel guesses: the count is taken before the password is checked."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client, override_settings

from tests.factories import make_user

PASSWORD_CHECKS = []
_lock = threading.Lock()


class CountingBackend(ModelBackend):
    """The real backend, counting every password it actually checks."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        with _lock:
            PASSWORD_CHECKS.append(username)
        return super().authenticate(request, username=username, password=password, **kwargs)


def guess(barrier):
    try:
        client = Client(REMOTE_ADDR="203.0.113.7")
        barrier.wait(timeout=30)
        return client.post("/accounts/login/", {"username": "dana", "password": "wrong password"}).status_code
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@override_settings(AUTHENTICATION_BACKENDS=["tests.security.test_login_throttle_races.CountingBackend"])
def test_24_simultaneous_wrong_guesses_get_at_most_5_password_checks():
    make_user("dana")
    PASSWORD_CHECKS.clear()
    barrier = threading.Barrier(24)
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(guess, [barrier] * 24))
    assert len(PASSWORD_CHECKS) == 5, PASSWORD_CHECKS
    assert sorted(statuses) == [200] * 5 + [429] * 19
