"""Production settings: `check --deploy` is clean and the security settings are on."""

import json
import subprocess

from tests.security.production import BASE_DIR, PYTHON, manage, production_env

SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXY_COUNT", "SESSION_ENGINE"]} | {
    "static": s.STORAGES["staticfiles"]["BACKEND"], "cache": s.CACHES["default"]["BACKEND"]}))
"""


def production_settings(env):
    result = subprocess.run(
        [PYTHON, "-c", SHOW_SETTINGS],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "mobilise.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_and_with_debug_off_the_app_refuses_to_start(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    for command in (["check"], ["migrate", "--noinput"]):
        result = manage(env, *command)
        assert result.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr
    assert not (tmp_path / "production.sqlite3").exists()  # nothing ran


def test_an_empty_secret_key_is_refused_too(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY=""), "check")
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_development_with_debug_on_starts_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, DEBUG="1")
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode == 0, result.stderr


def test_production_mode_sends_cookies_over_https_only_with_hsts(tmp_path):
    conf = production_settings(production_env(tmp_path))
    assert conf["DEBUG"] is False
    assert conf["SESSION_COOKIE_SECURE"] is True
    assert conf["CSRF_COOKIE_SECURE"] is True
    assert conf["SESSION_COOKIE_HTTPONLY"] is True
    assert conf["CSRF_COOKIE_HTTPONLY"] is True  # README: both cookies are Secure and HttpOnly
    assert conf["SECURE_SSL_REDIRECT"] is True
    assert conf["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert conf["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert conf["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_keeps_no_state_on_the_app_server(tmp_path):
    """Sessions, cache and log-in throttling all live in the shared database."""
    conf = production_settings(production_env(tmp_path))
    assert conf["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert conf["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_behind_a_proxy_the_forwarded_protocol_and_address_are_trusted(tmp_path):
    conf = production_settings(production_env(tmp_path, BEHIND_PROXY="1"))
    assert conf["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert conf["TRUSTED_PROXY_COUNT"] == 1
    assert production_settings(production_env(tmp_path))["SECURE_PROXY_SSL_HEADER"] is None


def test_a_time_zone_that_does_not_exist_stops_the_start_up_with_one_line(tmp_path):
    for name, value in (("TIME_ZONE", "Australia/Sidney"), ("DEFAULT_CURRENCY", "dollars")):
        result = manage(production_env(tmp_path, **{name: value}), "check")
        assert result.returncode != 0
        assert result.stderr.strip().count("\n") == 0, result.stderr
        assert result.stderr.startswith(f"{name}=")


def test_the_time_zone_and_default_currency_come_from_the_environment(tmp_path):
    show = (
        "import django; django.setup(); from django.conf import settings as s; print(s.TIME_ZONE, s.DEFAULT_CURRENCY)"
    )
    env = {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "mobilise.settings"}

    def run(**extra):
        result = subprocess.run(
            [PYTHON, "-c", show], cwd=BASE_DIR, env={**env, **extra}, capture_output=True, text=True, timeout=60
        )
        return result.stdout.split()

    assert run() == ["Europe/London", "AUD"]
    assert run(TIME_ZONE="Australia/Sydney", DEFAULT_CURRENCY="nzd") == ["Australia/Sydney", "NZD"]
