"""Sessions 2 and 3 embed other areas' editors; a failing editor fails loudly."""

import pytest

from alignment import embeds

from .conftest import session_url

pytestmark = pytest.mark.django_db


def test_the_editor_is_called_with_the_session_as_next_url(member_client, project, monkeypatch):
    calls = []

    def editor(request, project, next_url=None, **ids):
        calls.append(next_url)
        return '<div id="fake-milestone-editor">Milestones here</div>'

    monkeypatch.setitem(embeds.EDITORS, "milestones", editor)
    page = member_client.get(session_url(project, 2)).text
    assert '<div id="fake-milestone-editor">Milestones here</div>' in page
    assert calls == [session_url(project, 2)]


def test_sessions_2_and_3_show_the_real_editors(member_client, project):
    session_2 = member_client.get(session_url(project, 2)).text
    session_3 = member_client.get(session_url(project, 3)).text
    assert 'id="milestone-editor"' in session_2 or "milestone" in session_2.lower()
    assert "risk" in session_2.lower() and "RACI" in session_3


def test_a_failing_editor_is_an_error_not_a_quiet_link(member_client, project, monkeypatch):
    def editor(request, project, next_url=None, **ids):
        raise RuntimeError("bug in another area")

    monkeypatch.setitem(embeds.EDITORS, "raci", editor)
    member_client.raise_request_exception = False
    assert member_client.get(session_url(project, 3)).status_code == 500
