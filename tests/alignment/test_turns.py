"""Whose turn it is (issue 18 point 5): when one party signs or agrees a topic, the other is
told on the dashboard, and by email if they chose it; `remind_signatures` reminds the awaited
party once per period. Real commits (PostgreSQL in CI), so the emails sent after the commit
are the ones a user would get."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alignment.models import Session, SignatureReminder, SignOff
from projects.models import Membership
from tests.factories import fill_session, make_membership, make_project, make_user

from .test_signoff import agree_topic, sign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pair(settings):
    settings.SITE_URL = "http://testserver"
    buyer = make_user("bea", first_name="Bea", last_name="Buyer", email="bea@example.org")
    officer = make_user("olu", first_name="Olu", last_name="Officer", email="olu@example.org")
    project = make_project(
        members={buyer: Membership.Role.BUYER, officer: Membership.Role.OFFICER}, name="Bridges", slug="bridges"
    )
    project.objective = "Secret objective text"
    project.save()
    return project, buyer, officer


def dashboard(client, project):
    return client.get(reverse("projects:detail", args=[project.slug]))


def turns_of(response):
    return [(t.session, t.kind, t.by) for t in response.context["turns"]]


def choose_email(client, project, on=True):
    return client.post(reverse("alignment:turn-email", args=[project.slug]), {"email_my_turn": "1" if on else "0"})


def test_a_signature_tells_the_other_party_on_the_dashboard(client_as, pair):
    project, buyer, officer = pair
    assert turns_of(dashboard(client_as(officer), project)) == []
    assert "Nothing waits for you" in dashboard(client_as(officer), project).text
    sign(client_as(buyer), project)
    officer_page = dashboard(client_as(officer), project)
    assert turns_of(officer_page) == [(1, "sign", "Bea Buyer")]
    assert "Your turn:" in officer_page.text and "it waits for your signature" in officer_page.text
    assert turns_of(dashboard(client_as(buyer), project)) == [(1, "waiting", "procurement officer")]
    # Nobody chose email: none is sent.
    assert mail.outbox == []
    sign(client_as(officer), project)
    assert turns_of(dashboard(client_as(officer), project)) == []


def test_who_chose_it_gets_an_email_naming_only_the_project_and_the_session(client_as, pair):
    project, buyer, officer = pair
    assert choose_email(client_as(officer), project).status_code == 302
    assert Membership.objects.get(user=officer).email_my_turn
    assert "Stop these emails" in dashboard(client_as(officer), project).text
    sign(client_as(buyer), project)
    [message] = mail.outbox
    assert message.to == ["olu@example.org"] and message.subject == "Your turn: session 1 of Bridges"
    assert "Bea Buyer (buyer) signed session 1 of Bridges" in message.body
    assert "http://testserver/projects/bridges/sessions/1/" in message.body
    assert "Secret" not in message.body
    # The officer's signature agrees the session: nothing waits, the buyer is not emailed.
    choose_email(client_as(buyer), project)
    sign(client_as(officer), project)
    assert len(mail.outbox) == 1


def test_agreeing_a_topic_tells_the_other_party(client_as, pair):
    project, buyer, officer = pair
    choose_email(client_as(buyer), project)
    fill_session(Session.objects.get_or_create(project=project, number=1)[0])
    agree_topic(client_as(officer), project, 1, "concerns")
    assert turns_of(dashboard(client_as(buyer), project)) == [(1, "agree", "Olu Officer")]
    [message] = mail.outbox
    assert (
        message.to == ["bea@example.org"] and "agreed “" in message.body and "in session 1 of Bridges" in message.body
    )
    agree_topic(client_as(buyer), project, 1, "concerns")
    assert turns_of(dashboard(client_as(buyer), project)) == []


def test_viewers_neither_take_turns_nor_switch_the_email(client_as, pair):
    project, *_ = pair
    viewer = make_user("vic", email="vic@example.org")
    make_membership(project, viewer, Membership.Role.VIEWER)
    assert "Your turn" not in dashboard(client_as(viewer), project).text
    assert choose_email(client_as(viewer), project).status_code == 403
    assert choose_email(client_as(make_user("eve")), project).status_code == 404
    assert not Membership.objects.get(user=viewer).email_my_turn


def remind(days=3):
    out = StringIO()
    call_command("remind_signatures", f"--days={days}", stdout=out)
    return out.getvalue().strip()


def test_remind_signatures_reminds_the_awaited_party_once_per_period(client_as, pair):
    project, buyer, officer = pair
    sign(client_as(buyer), project)
    assert remind() == "Reminded 0 people about 0 sessions waiting 3 days or more."
    signoff = SignOff.objects.get()
    SignOff.objects.filter(pk=signoff.pk).update(signed_at=timezone.now() - timedelta(days=4))
    assert remind() == "Reminded 1 people about 1 sessions waiting 3 days or more."
    [message] = mail.outbox
    assert message.to == ["olu@example.org"]
    assert message.subject == "Reminder: session 1 of Bridges waits for your signature"
    assert "signed session 1 of Bridges 4 days ago" in message.body
    assert remind() == "Reminded 0 people about 0 sessions waiting 3 days or more."  # once per period
    SignatureReminder.objects.update(sent_at=timezone.now() - timedelta(days=3, minutes=1))
    assert remind().startswith("Reminded 1 people")
    sign(client_as(officer), project)  # agreed: nothing to remind of
    SignatureReminder.objects.update(sent_at=timezone.now() - timedelta(days=30))
    assert remind().startswith("Reminded 0 people")


def test_remind_signatures_refuses_a_bad_period():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("remind_signatures", "--days=0")
