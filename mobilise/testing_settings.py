"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE): the app's own settings,
plus what only tests want. Tests that need production settings start a process with
DJANGO_SETTINGS_MODULE=mobilise.settings."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import DATABASES, STORAGES

# Hashing a password the fast way: the suite logs in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Pages are served from the source files: no collectstatic before a test run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: an in-memory test database is shared-cache, where a second writer
    # fails at once ("database table is locked") instead of waiting, and the live server of the
    # browser tests answers two people at once. One file per process, so two test runs on one
    # machine never share a database.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"mobilise-test-{os.getpid()}.sqlite3")
    )
