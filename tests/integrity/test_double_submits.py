"""Ten clicks at once on a button that must act once: one effect, no 500s."""

import pytest
from django.urls import reverse

from alignment.models import Session, SignOff
from projects.models import Membership
from tests.factories import fill_session, make_project, make_user

from .races import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_sign_off_clicks_make_one_sign_off():
    buyer = make_user()
    project = make_project(members={buyer: Membership.Role.BUYER, make_user(): Membership.Role.OFFICER})
    from django.test import Client

    opener = Client()
    opener.force_login(buyer)
    opener.post(
        reverse("alignment:session-field", args=[project.slug, 1, "needs"]), {"needs": "Bins", "orig-needs": ""}
    )
    fill_session(Session.objects.get(project=project, number=1))
    session = opener.get(reverse("alignment:session", args=[project.slug, 1])).context["session"]
    url = reverse("alignment:session-sign", args=[project.slug, 1])
    statuses = race(buyer, 10, lambda client, i: client.post(url, {"version": session.version}).status_code)
    assert statuses == [302] * 10
    assert SignOff.objects.filter(session=session).count() == 1


def test_one_person_never_holds_both_sign_offs_of_a_session():
    """A buyer signs, is then made procurement officer by another buyer, and signs again."""
    from django.test import Client

    first, second = make_user(), make_user()
    project = make_project(members={first: Membership.Role.BUYER, second: Membership.Role.BUYER})
    client = Client()
    client.force_login(first)
    client.post(
        reverse("alignment:session-field", args=[project.slug, 1, "needs"]), {"needs": "Bins", "orig-needs": ""}
    )
    fill_session(Session.objects.get(project=project, number=1))
    session = client.get(reverse("alignment:session", args=[project.slug, 1])).context["session"]
    url = reverse("alignment:session-sign", args=[project.slug, 1])
    client.post(url, {"version": session.version})
    project.memberships.filter(user=first).update(role=Membership.Role.OFFICER)
    session.refresh_from_db()
    response = client.post(url, {"version": session.version}, follow=True)
    assert "the other party must sign off themselves" in response.text
    assert list(SignOff.objects.filter(session=session).values_list("role", flat=True)) == ["buyer"]
    session.refresh_from_db()
    assert session.status != "agreed"
