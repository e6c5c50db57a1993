"""Sessions 2 and 3 embed other areas' editors, and never break while one is missing."""

import sys
import types

import pytest

from alignment import embeds

from .conftest import session_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_area(monkeypatch):
    module = types.ModuleType("fake_area_views")
    monkeypatch.setitem(sys.modules, "fake_area_views", module)
    return module


def test_the_editor_is_called_with_the_session_as_next_url(member_client, project, fake_area, monkeypatch):
    calls = []

    def editor(request, project, next_url=None):
        calls.append(next_url)
        return '<div id="fake-milestone-editor">Milestones here</div>'

    fake_area.milestone_editor = editor
    monkeypatch.setitem(embeds.EDITORS, "milestones", ("fake_area_views", "milestone_editor", "projects:plan", "work plan"))
    page = member_client.get(session_url(project, 2)).text
    assert '<div id="fake-milestone-editor">Milestones here</div>' in page
    assert calls == [session_url(project, 2)]


def test_a_missing_area_shows_a_link_to_it_instead(member_client, project, monkeypatch):
    monkeypatch.setitem(embeds.EDITORS, "risks", ("no_such_area.views", "risk_editor", "projects:stakeholders", "risk register"))
    page = member_client.get(session_url(project, 2)).text
    assert f'<a href="/projects/{project.slug}/stakeholders/">Open the risk register</a> to edit it.' in page


def test_a_missing_area_without_a_page_says_so(member_client, project, monkeypatch):
    monkeypatch.setitem(embeds.EDITORS, "raci", ("no_such_area.views", "matrix_editor", "nowhere:matrix", "RACI matrix"))
    page = member_client.get(session_url(project, 3)).text
    assert "The RACI matrix is not available yet." in page


def test_a_failing_editor_does_not_take_the_session_down(member_client, project, fake_area, monkeypatch):
    def editor(request, project, next_url=None):
        raise RuntimeError("bug in another area")

    fake_area.matrix_editor = editor
    monkeypatch.setitem(embeds.EDITORS, "raci", ("fake_area_views", "matrix_editor", "projects:stakeholders", "RACI matrix"))
    response = member_client.get(session_url(project, 3))
    assert response.status_code == 200
    assert "The editor could not be shown here." in response.text
    assert "Open the RACI matrix" in response.text
