"""Production serving: collectstatic, then gunicorn + whitenoise with production settings."""

import re

import pytest

from tests.bench.load import Client, start_gunicorn, stop
from tests.security.production import free_port, manage, production_env

CREATE_USER = (
    "from django.contrib.auth.models import User; User.objects.create_user('dana', password='a-long-test-password')"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    # Behind a TLS-terminating proxy: requests that say X-Forwarded-Proto: https are secure.
    env = production_env(tmp_path, BEHIND_PROXY="1")
    for command in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["createcachetable"],
        ["shell", "-c", CREATE_USER],
    ):
        result = manage(env, *command)
        assert result.returncode == 0, result.stderr
    port = free_port()
    with open(tmp_path / "gunicorn.log", "w") as log:
        process = start_gunicorn(env, port, workers=2, threads=2, log=log)
        try:
            yield port
        finally:
            stop(process)


def test_gunicorn_serves_the_login_page_with_production_headers(server):
    response = Client(server).get("/accounts/login/")
    assert response.status == 200
    assert b"Log in to Mobilise" in response.body
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "'nonce-" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csrf_cookie = response.headers["Set-Cookie"]
    assert csrf_cookie.startswith("csrftoken=") and "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie


def test_static_files_are_collected_hashed_compressed_and_cached_for_ever(server):
    page = Client(server).get("/accounts/login/")
    stylesheet = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.body)
    assert stylesheet, "the page links the hashed file name from the manifest"
    response = Client(server).get(stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_plain_http_is_redirected_to_https(server):
    client = Client(server)
    response = client.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


def test_logging_in_works_through_the_proxy_with_secure_cookies(server):
    client = Client(server)
    response = client.log_in("dana", "a-long-test-password")
    session_cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    home = client.get("/")
    assert home.status == 200
    assert b"Log out" in home.body


def test_an_unknown_page_is_the_plain_404_page(server):
    response = Client(server).get("/accounts/no-such-page/")
    assert response.status == 404
    assert b"Page not found" in response.body
    assert b"Traceback" not in response.body
