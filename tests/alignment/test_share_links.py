"""Read-only share links to the brief and the agreed minutes (issue 18 point 4): signed by a
random token shown once, expiring, revocable, logged when opened, 404 for anything else."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alignment import sharing
from alignment.models import Session, ShareLink, ShareLinkOpening
from projects.models import Membership
from tests.alignment.test_signoff import sign
from tests.factories import make_membership, make_project, make_user

pytestmark = pytest.mark.django_db


def share_page(project):
    return f"/projects/{project.slug}/share/"


def make_link(client, project, label="Chris Furness, sponsor", days="30"):
    response = client.post(share_page(project), {"label": label, "days": days})
    assert response.status_code == 200
    url = re.search(r"<code[^>]*>(http://[^<]+)</code>", response.text).group(1)
    return response, url.removeprefix("http://testserver")


def test_a_buyer_shares_the_brief_and_agreed_minutes_with_someone_without_an_account(
    member_client, officer_client, project
):
    sign(member_client, project)
    sign(officer_client, project)
    response, path = make_link(member_client, project)
    assert "Copy it now: Mobilise keeps only a fingerprint of it" in response.text
    assert response["Cache-Control"] == "private, no-store"
    link = ShareLink.objects.get()
    token = path.split("/")[2]
    assert token not in link.token_sha256 and len(token) >= 40

    visitor = Client()  # never logged in
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Project brief: Water sensors" in page.text and "Shared with Chris Furness, sponsor" in page.text
    assert page["Referrer-Policy"] == "no-referrer" and "noindex" in page["X-Robots-Tag"]
    assert 'href="/projects/' not in page.text  # no way into the project's own pages
    minutes = Session.objects.get(project=project, number=1).minutes.get()
    pdf = visitor.get(f"{path}minutes/1/1.pdf")
    assert pdf.status_code == 200 and pdf.content == bytes(minutes.pdf)
    assert visitor.get(f"{path}brief.pdf").content.startswith(b"%PDF")
    assert list(ShareLinkOpening.objects.order_by("id").values_list("what", flat=True)) == [
        "brief",
        "minutes of session 1, version 1",
        "brief PDF",
    ]
    listing = member_client.get(share_page(project)).text
    assert "3 times, last" in listing and token not in listing


@pytest.mark.django_db(transaction=True)
def test_a_revoked_an_expired_or_a_forged_link_opens_nothing(member_client, project, buyer):
    _, path = make_link(member_client, project)
    visitor = Client()
    assert visitor.get(path).status_code == 200
    link = ShareLink.objects.get()
    member_client.post(f"/projects/{project.slug}/share/{link.pk}/revoke/")
    assert visitor.get(path).status_code == 404
    assert visitor.get(f"{path}brief.pdf").status_code == 404
    fresh, token = sharing.create(project=project, by=buyer, label="Approver", days=1)
    ShareLink.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert visitor.get(f"/share/{token}/").status_code == 404
    assert visitor.get(f"/share/{token[:-1]}x/").status_code == 404
    assert visitor.get("/share/not-a-token/").status_code == 404
    assert visitor.post(path).status_code in (404, 405)
    assert ShareLinkOpening.objects.count() == 1  # only the one opening that was allowed


def test_another_projects_minutes_are_404_through_a_link(member_client, officer_client, project, buyer):
    other = make_project(members={buyer: Membership.Role.BUYER}, slug="other", name="Other")
    _, path = make_link(member_client, other)
    sign(member_client, project)
    sign(officer_client, project)
    assert Client().get(f"{path}minutes/1/1.pdf").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": " ", "days": "30"}, "Say who the link is for."),
        ({"label": "X", "days": "91"}, "A link lasts at most 90 days."),
    ],
)
def test_bad_input_makes_no_link(member_client, project, data, message):
    response = member_client.post(share_page(project), data)
    assert message in response.text and not ShareLink.objects.exists()


@pytest.mark.parametrize("role", [Membership.Role.OFFICER, Membership.Role.CONTRIBUTOR, Membership.Role.VIEWER])
def test_only_those_who_manage_the_project_make_or_revoke_links(client_as, project, buyer, role):
    link, _ = sharing.create(project=project, by=buyer, label="Sponsor", days=30)
    user = make_user(f"someone-{role}")
    make_membership(project, user, role)
    client = client_as(user)
    assert client.get(share_page(project)).status_code == 403
    assert client.post(share_page(project), {"label": "Mine", "days": "5"}).status_code == 403
    assert client.post(f"/projects/{project.slug}/share/{link.pk}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None and ShareLink.objects.count() == 1


def test_strangers_get_404_and_another_projects_link_cannot_be_revoked(client_as, project, buyer):
    stranger = make_user("stranger")
    theirs = make_project(members={stranger: Membership.Role.BUYER}, slug="theirs")
    mine, _ = sharing.create(project=project, by=buyer, label="Sponsor", days=30)
    client = client_as(stranger)
    assert client.get(share_page(project)).status_code == 404
    assert client.post(f"/projects/theirs/share/{mine.pk}/revoke/").status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None and theirs.share_links.count() == 0
