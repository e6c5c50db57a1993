"""Mobilise settings: one file, driven by the environment (see README "Configuration")."""

import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOBILISE_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    """A yes/no setting. Anything but the listed words is refused: `DEBUG=treu` must not quietly
    mean "off" (or a typo in `SECURE=flase` quietly mean "on")."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1 or 0 (or true/false, yes/no, on/off).")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The test suite's settings (mobilise/testing_settings.py) build on these; the processes a test
# starts (the PDF child, manage.py) inherit DJANGO_SETTINGS_MODULE and so run with them too.
FOR_TESTS = os.environ.get("DJANGO_SETTINGS_MODULE") == "mobilise.testing_settings"
if not SECRET_KEY:
    if not (DEBUG or FOR_TESTS):
        # The development key below is public: signing sessions with it in production would
        # let anyone forge a log-in. Refuse to start instead.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to 50+ random characters in production, "
            "or DEBUG=1 for development (make run does)."
        )
    SECRET_KEY = "django-insecure-development-only-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks_db",
    "mobilise",
    "projects",
    "alignment",
    "raci",
    "risks",
    "projects.plan",
    "projects.reports",
    "projects.advisory",
    "projects.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mobilise.middleware.HtmxErrorMiddleware",
    "mobilise.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "mobilise.urls"
WSGI_APPLICATION = "mobilise.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'mobilise.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several gunicorn workers or test processes may write at once; wait instead of failing.
    # WAL lets pages read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# Times are stored in UTC and shown in the deployment's zone. A zone Django cannot load stops
# the start-up with one line (no traceback), as a wrong zone would shift every time shown.
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London").strip()
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise SystemExit(
        f"TIME_ZONE={TIME_ZONE!r} is not a time zone: use a name such as Australia/Sydney or Europe/London."
    ) from None
USE_I18N = True
USE_TZ = True
# The currency a new project starts in (each project can change its own).
DEFAULT_CURRENCY = os.environ.get("DEFAULT_CURRENCY", "AUD").strip().upper()
if not re.fullmatch(r"[A-Z]{3}", DEFAULT_CURRENCY):
    raise SystemExit(f"DEFAULT_CURRENCY={DEFAULT_CURRENCY!r} is not a three-letter currency code such as AUD or GBP.")
# The protective marking printed at the top and bottom of every page of the project brief
# (e.g. OFFICIAL, OFFICIAL: Sensitive); empty prints none.
PROTECTIVE_MARKING = " ".join(os.environ.get("PROTECTIVE_MARKING", "OFFICIAL").split())
if len(PROTECTIVE_MARKING) > 60:
    raise SystemExit(f"PROTECTIVE_MARKING is {len(PROTECTIVE_MARKING)} characters: a marking has at most 60.")

# Email (Django 6.1's MAILERS): SMTP to EMAIL_HOST (default: the machine's own mail server,
# localhost:25, in production); printed to the console in development unless EMAIL_HOST is set.
EMAIL_SMTP_HOST = os.environ.get("EMAIL_HOST", "" if DEBUG else "localhost").strip()
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_SMTP_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
        if EMAIL_SMTP_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mobilise <mobilise@localhost>")
# The address people open Mobilise at, for links in emails (no request to take it from).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").strip().rstrip("/")
if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", SITE_URL):
    raise SystemExit(f"SITE_URL={SITE_URL!r} is not a web address such as https://mobilise.example.gov.")
# Open Contracting (OCDS) export: the ocid prefix registered for this publisher with the OCDS
# helpdesk (ocds-xxxxxx), the organisation identifier scheme of the parties (an org-id.guide
# code such as GB-LAE; empty: parties are identified within the release only) and the publisher.
OCDS_PREFIX = os.environ.get("OCDS_PREFIX", "ocds-mobilise").strip()
if not re.fullmatch(r"ocds-[a-z0-9]{6,20}", OCDS_PREFIX):
    raise SystemExit(f"OCDS_PREFIX={OCDS_PREFIX!r} is not an ocid prefix such as ocds-213czf.")
OCDS_PARTY_SCHEME = os.environ.get("OCDS_PARTY_SCHEME", "").strip()
if OCDS_PARTY_SCHEME and not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{2,20}", OCDS_PARTY_SCHEME):
    raise SystemExit(
        f"OCDS_PARTY_SCHEME={OCDS_PARTY_SCHEME!r} is not an organisation identifier scheme such as GB-LAE."
    )
OCDS_PUBLISHER_NAME = " ".join(os.environ.get("OCDS_PUBLISHER_NAME", "Mobilise").split())[:200]
# Where help requests to the innovation procurement advisory team are sent.
ADVISORY_TEAM_EMAIL = os.environ.get("ADVISORY_TEAM_EMAIL", "advisory-team@localhost").strip()
if "@" not in ADVISORY_TEAM_EMAIL:
    raise SystemExit(f"ADVISORY_TEAM_EMAIL={ADVISORY_TEAM_EMAIL!r} is not an email address.")

# Invitations by email (projects/invitations.py): how long a link lasts, how many a buyer may
# send an hour; and after how many days a session waiting for a signature reminds the other
# party (`manage.py remind_signatures`, run daily by a scheduler).
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", 7))
INVITATIONS_PER_HOUR = int(os.environ.get("INVITATIONS_PER_HOUR", 20))
SIGNATURE_REMINDER_DAYS = int(os.environ.get("SIGNATURE_REMINDER_DAYS", 3))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: spreadsheets only, and small (mobilise/spreadsheets.py checks the rest).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
# Any request body above this is refused with 413 before it is read (mobilise/middleware.py).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", 2 * MAX_UPLOAD_BYTES))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "mobilise.form_renderer.Renderer"  # select boxes built in Python (mobilise/form_renderer.py)

# Content Security Policy (Django 6 built-in): no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx sends the token from the page (hx-headers on <body>).
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "mobilise.errors.csrf_failure"

# Log-in throttling (mobilise/auth.py), counted in a shared database table so every app
# server agrees. Per (username, address) pair, so nobody can lock a user out from elsewhere.
LOGIN_THROTTLE = {
    "failures_per_user_and_address": int(os.environ.get("LOGIN_FAILURES_PER_USER", 5)),
    "failures_per_address": int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", 50)),
    "cooloff_seconds": int(os.environ.get("LOGIN_COOLOFF_SECONDS", 15 * 60)),
}
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY") else 0))

if not DEBUG and not FOR_TESTS and env_bool("SECURE", True) and os.environ.get("SECRET_KEY"):
    # Production: HTTPS only. Behind a proxy that terminates TLS set SECURE_PROXY_SSL_HEADER.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work (PDF rendering): the Django tasks API. The default runs tasks at once;
# production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")}}
# A worker renders each report PDF in a child process with these limits (projects/reports/pdf.py).
REPORT_PDF_TIME_LIMIT = int(os.environ.get("REPORT_PDF_TIME_LIMIT", 120))
REPORT_PDF_MEMORY_MB = int(os.environ.get("REPORT_PDF_MEMORY_MB", 1024))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mobilise_cache",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "django.tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
    },
}
