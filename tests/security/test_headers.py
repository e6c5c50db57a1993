"""Security headers on every page, and scripts that carry the CSP nonce."""

import re

import pytest
from django.test import Client

from projects.models import Membership
from tests.factories import make_advisor, make_milestone, make_project, make_stakeholder, make_user
from tests.projects.test_access import ROUTES, url_for

pytestmark = pytest.mark.django_db


def pages():
    """Every page a member can GET (id 1 routes may 404: the 404 page is checked too)."""
    user = make_user()
    project = make_project(members={user: Membership.Role.BUYER})
    make_stakeholder(project)
    make_milestone(project)
    member = Client(raise_request_exception=False)
    member.force_login(user)
    yield Client(), "/accounts/login/"
    yield member, "/"
    yield member, "/projects/new/"
    yield member, "/no-such-page/"
    for route in ROUTES:
        yield member, url_for(route, project.slug)


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def admin_pages():
    advisor = Client()
    advisor.force_login(make_advisor())
    yield Client(), "/admin/login/"
    yield advisor, "/admin/"


def test_every_page_sends_a_strict_content_security_policy_and_the_other_headers():
    checked = 0
    for client, url in [*pages(), *admin_pages()]:
        response = client.get(url)
        csp = csp_directives(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        assert csp["object-src"] == ["'none'"], url
        assert csp["base-uri"] == ["'none'"], url
        assert csp["frame-ancestors"] == ["'none'"], url
        assert csp["default-src"] == ["'self'"], url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        checked += 1
    assert checked > 10


def test_every_script_on_every_page_carries_this_responses_nonce_and_nothing_is_styled_inline():
    checked = 0
    for client, url in pages():
        response = client.get(url)
        html = response.content.decode() if response["Content-Type"].startswith("text/html") else ""
        if "<html" not in html:
            continue  # a PDF, a workbook, an empty 405
        checked += 1
        nonces = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts, url
        assert len(nonces) == 1, url
        for tag in scripts:
            assert f'nonce="{nonces[0]}"' in tag, (url, tag)
        assert not re.search(r"<[^>]+\sstyle\s*=", html), url
        assert "<style" not in html, url
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url
        assert "javascript:" not in html, url
        assert " hx-on" not in html, url
    assert checked > 10


def test_each_response_gets_a_fresh_nonce():
    client = Client()
    first = client.get("/accounts/login/")["Content-Security-Policy"]
    second = client.get("/accounts/login/")["Content-Security-Policy"]
    assert re.search(r"'nonce-[^']+'", first)
    assert first != second
