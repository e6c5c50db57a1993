"""Log-in throttling: keyed on username and address, with a cool-off."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from mobilise import auth
from mobilise.models import LoginFailureCount
from tests.factories import PASSWORD, make_advisor, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(password, *, username="dana", address="203.0.113.7", url=LOGIN):
    client = Client(REMOTE_ADDR=address)
    response = client.post(url, {"username": username, "password": password})
    response.logged_in = "_auth_user_id" in client.session
    return response


def fail(times, **kwargs):
    for _ in range(times):
        response = attempt("wrong password", **kwargs)
        assert response.status_code in (200, 429) and not response.logged_in


def test_five_wrong_passwords_pause_logging_in_as_that_user_from_that_address():
    make_user("dana")
    fail(5)
    response = attempt(PASSWORD)
    assert response.status_code == 429
    assert not response.logged_in
    assert "Too many failed log-in attempts" in response.text
    assert "Logging in with this username from your network is paused for 15 minutes" in response.text
    # The page is the ordinary log-in page with the message, not a bare error.
    assert 'name="username"' in response.text


def test_four_wrong_passwords_do_not_stop_the_right_one():
    make_user("dana")
    fail(4)
    response = attempt(PASSWORD)
    assert response.status_code == 302 and response.logged_in


def test_nobody_can_lock_a_user_out_from_another_address():
    make_user("dana")
    fail(20, address="198.51.100.66")  # an attacker elsewhere
    response = attempt(PASSWORD, address="203.0.113.7")  # Dana at her own desk
    assert response.status_code == 302 and response.logged_in


def test_other_people_at_the_same_address_can_still_log_in():
    make_user("dana")
    make_user("omar")
    fail(5, username="dana")
    response = attempt(PASSWORD, username="omar")
    assert response.status_code == 302 and response.logged_in


def test_usernames_differing_only_in_case_share_one_count():
    make_user("dana")
    for name in ["dana", "DANA", "Dana", "dAna", "danA"]:
        fail(1, username=name)
    assert attempt(PASSWORD).status_code == 429


def test_logging_in_works_again_after_the_cool_off(monkeypatch):
    make_user("dana")
    fail(5)
    assert attempt(PASSWORD).status_code == 429
    now = auth.time.time()
    monkeypatch.setattr(auth.time, "time", lambda: now + 15 * 60 + 1)
    response = attempt(PASSWORD)
    assert response.status_code == 302 and response.logged_in


def test_the_password_is_not_checked_while_paused(monkeypatch):
    make_user("dana")
    fail(5)
    checked = []
    monkeypatch.setattr("django.contrib.auth.forms.authenticate", lambda *a, **k: checked.append(1))
    attempt(PASSWORD)
    assert checked == []


def test_a_successful_log_in_clears_the_count_for_that_user_and_address():
    make_user("dana")
    fail(4)
    assert attempt(PASSWORD).logged_in
    fail(4)
    assert attempt(PASSWORD).logged_in


@override_settings(LOGIN_THROTTLE={"failures_per_address": 8})
def test_one_address_trying_many_usernames_meets_the_looser_address_limit():
    make_user("omar")
    for n in range(8):
        fail(1, username=f"guess{n}")
    response = attempt(PASSWORD, username="omar")
    assert response.status_code == 429
    assert "Logging in from your network is paused" in response.text
    # Another address is unaffected.
    assert attempt(PASSWORD, username="omar", address="192.0.2.10").logged_in


def test_the_admin_log_in_page_is_throttled_too():
    make_advisor("alex")
    fail(5, username="alex", url="/admin/login/")
    response = attempt(PASSWORD, username="alex", url="/admin/login/")
    assert not response.logged_in
    assert "Too many failed log-in attempts" in response.text
    # The count is shared between the two log-in pages.
    assert attempt(PASSWORD, username="alex").status_code == 429


def test_failure_counts_are_kept_in_the_database_that_all_app_servers_share():
    make_user("dana")
    fail(1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, count FROM mobilise_loginfailurecount")
        rows = dict(cursor.fetchall())
    assert any(key.startswith("login-failures:pair:") and count == 1 for key, count in rows.items())
    assert not any("dana" in key for key in rows)  # usernames are hashed, never stored as keys


def test_a_right_password_is_not_counted_against_the_address():
    make_user("dana")
    make_user("omar")
    fail(3, username="omar")
    for _ in range(3):
        assert attempt(PASSWORD).logged_in
    address_count = LoginFailureCount.objects.get(key=auth.LoginThrottle("x", "203.0.113.7").address_key).count
    assert address_count == 3  # Omar's three failures; Dana's log-ins took nothing away


def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert auth.client_address(request) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the load balancer appended the real one.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert auth.client_address(request) == "203.0.113.7"


def test_ipv6_clients_are_counted_by_their_slash_64():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    other_machine_same_network = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::9")
    assert auth.client_address(request) == auth.client_address(other_machine_same_network) == "2001:db8:1:2::/64"
