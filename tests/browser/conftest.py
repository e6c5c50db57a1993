"""Browser tests: Playwright for Python driving Debian's Chromium on a live server."""

import os
import shutil

import pytest

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Chromium, from the first browser test to the end of the session.

    Playwright's sync API runs an event loop in this thread for as long as it is open, and
    Django refuses database access from a thread with a running loop unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. So it is set here, for exactly that time, and nowhere
    else: tests that run before the first browser test keep Django's check. The test
    database is made first, outside the loop."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH.")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class ConsoleWatcher:
    """Collects console errors, CSP violations included, so tests can assert there are none."""

    def __init__(self, page):
        self.errors = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console = ConsoleWatcher(page)
    yield page
    context.close()


def log_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
