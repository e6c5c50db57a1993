"""Fixes in the session pages: unique ids and labels on session 2, the support-level error
kept next to its field with the choice kept, and a long paste refused whole."""

import re
from collections import Counter

import pytest

from alignment.models import Session
from tests.factories import make_milestone, make_risk, make_stakeholder

from .conftest import HTMX, field_url, session_url

pytestmark = pytest.mark.django_db


def _ids(page):
    return Counter(re.findall(r'\sid="([^"]+)"', page))


@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_id_on_a_session_page_is_unique_and_every_label_points_at_a_field(member_client, project, number):
    make_stakeholder(project)
    make_milestone(project)
    make_risk(project)
    page = member_client.get(session_url(project, number)).text
    ids = _ids(page)
    assert [name for name, n in ids.items() if n > 1] == []
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', page):
        assert re.search(rf'<(input|select|textarea)[^>]*\sid="{re.escape(target)}"', page), target


def test_session_2_risk_form_labels_point_at_the_risk_form_fields(member_client, project):
    page = member_client.get(session_url(project, 2)).text
    for form, name in [
        ("risk", "category"),
        ("risk", "owner"),
        ("risk", "status"),
        ("milestone", "kind"),
        ("milestone", "notes"),
    ]:
        assert re.search(rf'<label[^>]*for="{form}-{name}"', page), name
        assert re.search(rf'<(select|textarea|input)[^>]*id="{form}-{name}"', page), name
        assert f'name="{name}"' in page  # the posted names are unchanged
    assert re.search(r'<label[^>]*for="milestone-owner"', page)
    assert 'id="id_notes"' in page  # the session's own "Notes and actions"


@pytest.fixture
def new_and_cautious(project):
    Session.objects.create(project=project, number=1, maturity="new", risk_appetite="cautious")


def test_overriding_without_a_reason_keeps_the_level_and_shows_the_error_at_the_reason(
    member_client, project, new_and_cautious
):
    response = member_client.post(
        f"/projects/{project.slug}/sessions/3/support/",
        {"support_level": "partnered", "support_reason": "", "orig-support_level": ""},
    )
    assert response.status_code == 200
    page = response.text
    assert re.search(r'id="support-partnered"[^>]* checked', page)
    reason = re.search(r'<textarea[^>]*id="id_support_reason"[^>]*>', page, re.S).group(0)
    assert "autofocus" in reason and 'aria-describedby="support_reason-error"' in reason
    error = page.index('id="support_reason-error"')
    assert "Say why you chose a different level from the recommended one." in page[error : error + 200]
    assert Session.objects.get(project=project, number=3).support_level == ""


def test_a_paste_over_the_limit_is_refused_whole_with_the_limit_named(member_client, project):
    text = "x" * 6120
    response = member_client.post(
        field_url(project, 1, "desired_outcome"), {"desired_outcome": text, "orig-desired_outcome": ""}, headers=HTMX
    )
    assert "Not saved: Desired outcome is 6,120 characters; the limit is 5,000. Nothing was saved." in response.text
    assert "Saved " not in response.text
    project.refresh_from_db()
    assert project.desired_outcome == ""


def test_without_javascript_a_long_paste_stays_in_the_field(member_client, project):
    text = "y" * 3200
    page = member_client.post(session_url(project, 2), {"notes": text, "orig-notes": ""}).text
    assert "Notes and actions is 3,200 characters; the limit is 3,000. Nothing was saved." in page
    assert f">{text}</textarea>" in page
    assert Session.objects.get(project=project, number=2).notes == ""


def test_the_text_fields_carry_no_maxlength_that_would_cut_a_paste(member_client, project):
    page = member_client.get(session_url(project, 1)).text
    assert not re.search(r'<textarea[^>]*id="id_desired_outcome"[^>]*maxlength', page)
