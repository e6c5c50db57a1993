"""The session page's poll (issue 18 point 2): who is here, and what changed since the version
the page last saw; cheap when nothing changed; read-only roles poll without writing."""

import pytest
from django.urls import reverse

from alignment import live, services
from alignment.models import Session, SessionPresence
from projects.models import Membership
from tests.factories import make_advisor, make_membership, make_user

from .conftest import HTMX, field_url

pytestmark = pytest.mark.django_db(transaction=True)


def live_url(project, number=1):
    return reverse("alignment:session-live", args=[project.slug, number])


def test_members_who_edit_are_here_and_see_each_other(client_as, project, buyer, officer):
    assert client_as(buyer).post(live_url(project), {"v": "0"}).json() == {"v": 0, "here": []}
    data = client_as(officer).post(live_url(project), {"v": "0"}).json()
    assert data["here"] == ["Bea Buyer"]
    assert client_as(buyer).post(live_url(project), {"v": "0"}).json()["here"] == ["Olu Officer"]
    assert SessionPresence.objects.count() == 2
    # Session 2 is another room.
    assert client_as(buyer).post(live_url(project, 2), {"v": "0"}).json()["here"] == []


def test_a_change_by_someone_else_comes_with_the_values_and_who_made_it(client_as, project, buyer, officer):
    session = services.session_for(project, 1)
    first = client_as(buyer).post(live_url(project), {"v": "0"}).json()
    assert first["fields"]["concerns"] == "" and first["v"] == session.version
    quiet = client_as(buyer).post(live_url(project), {"v": str(first["v"])}).json()
    assert "fields" not in quiet  # nothing changed: the cheap answer
    saved = client_as(officer).post(
        field_url(project, 1, "concerns"), {"concerns": "Budget may slip", "orig-concerns": ""}, headers=HTMX
    )
    assert saved.status_code == 200 and "Saved" in saved.text
    changed = client_as(buyer).post(live_url(project), {"v": str(first["v"])}).json()
    assert changed["v"] > first["v"]
    assert changed["fields"]["concerns"] == "Budget may slip"
    assert (changed["by"], changed["by_me"]) == ("Olu Officer", False)
    assert client_as(officer).post(live_url(project), {"v": str(first["v"])}).json()["by_me"] is True


def test_people_who_left_are_not_here(client_as, project, buyer, officer):
    client_as(officer).post(live_url(project), {"v": "0"})
    SessionPresence.objects.update(last_seen="2020-01-01T00:00:00Z")
    assert client_as(buyer).post(live_url(project), {"v": "0"}).json()["here"] == []


def test_read_only_roles_poll_without_writing_and_strangers_get_404(client_as, project, buyer):
    viewer = make_user("vic")
    make_membership(project, viewer, Membership.Role.VIEWER)
    client_as(buyer).post(live_url(project), {"v": "0"})
    for reader in (viewer, make_advisor("amy")):
        data = client_as(reader).get(live_url(project), {"v": "0"}).json()
        assert data["here"] == ["Bea Buyer"]
        assert client_as(reader).post(live_url(project), {"v": "0"}).status_code == 403
    assert SessionPresence.objects.count() == 1 and not Session.objects.exists()
    eve = make_user("eve")
    assert client_as(eve).get(live_url(project)).status_code == 404
    assert client_as(eve).post(live_url(project)).status_code == 404
    assert client_as(buyer).get(live_url(project, 4)).status_code == 404


def test_the_page_says_who_is_here(client_as, project, buyer, officer):
    live.mark_present(project, 1, officer)
    page = client_as(buyer).get(reverse("alignment:session", args=[project.slug, 1])).text
    assert "Here now: Olu Officer." in page


def test_presence_is_written_again_only_every_few_seconds(client_as, project, buyer):
    from datetime import timedelta

    from django.utils import timezone

    client_as(buyer).post(live_url(project), {"v": "0"})
    first = SessionPresence.objects.get().last_seen
    client_as(buyer).post(live_url(project), {"v": "0"})
    assert SessionPresence.objects.get().last_seen == first  # a read, not a write
    SessionPresence.objects.update(last_seen=timezone.now() - timedelta(seconds=live.REFRESH_SECONDS + 1))
    client_as(buyer).post(live_url(project), {"v": "0"})
    assert SessionPresence.objects.get().last_seen > first - timedelta(seconds=1)
