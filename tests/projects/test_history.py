from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from projects.models import Stakeholder
from tests.factories import make_milestone, make_stakeholder, make_user

pytestmark = pytest.mark.django_db


def test_history_says_who_changed_which_field_from_what_to_what(member_client, project, buyer):
    person = make_stakeholder(project, name="Pat", role_title="Analyst")
    member_client.post(
        reverse("projects:stakeholder-edit", args=[project.slug, person.pk]),
        {
            "name": "Pat",
            "kind": person.kind,
            "interest": "high",
            "influence": person.influence,
            "role_title": "Lead",
            "version": person.version,
        },
    )
    response = member_client.get(reverse("projects:history", args=[project.slug]))
    text = response.text
    assert 'Bea Buyer</strong> changed stakeholder “<span class="wrap">Pat</span>”' in text
    assert 'from “<span class="wrap">Analyst</span>” to “<span class="wrap">Lead</span>”' in text
    assert 'from “<span class="wrap">Medium</span>” to “<span class="wrap">High</span>”' in text


def test_deleted_records_stay_in_history(member_client, project):
    person = make_stakeholder(project, name="Gone")
    member_client.post(reverse("projects:stakeholder-delete", args=[project.slug, person.pk]))
    response = member_client.get(reverse("projects:history", args=[project.slug]))
    assert 'deleted stakeholder “<span class="wrap">Gone</span>”' in response.text


def test_a_changed_owner_is_named_not_numbered(member_client, project):
    ann, bob = make_stakeholder(project, name="Ann Officer"), make_stakeholder(project, name="Bob Board")
    milestone = make_milestone(project, name="Market day", owner=ann)
    milestone.owner = bob
    milestone.save()
    bob.delete()  # a deleted stakeholder keeps their name in the history
    page = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert 'from “<span class="wrap">Ann Officer</span>” to “<span class="wrap">Bob Board</span>”' in page


def test_the_history_page_query_count_does_not_grow(member_client, project, django_assert_max_num_queries):
    def churn(n):
        for _ in range(n):
            person = make_stakeholder(project)
            milestone = make_milestone(project, owner=person, baseline_end=date(2026, 3, 2))
            milestone.forecast_end = date(2026, 3, 9)
            milestone.save()
            person.delete()

    churn(2)
    with django_assert_max_num_queries(40) as few:
        member_client.get(reverse("projects:history", args=[project.slug]))
    churn(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        member_client.get(reverse("projects:history", args=[project.slug]))


def _saves(person, user, changes):
    """Save `person` once per (UTC time, field, value), as autosave would, by `user`."""
    for when, field, value in changes:
        setattr(person, field, value)
        person._history_user = user
        person.save()
        record = person.history.order_by("-history_id").first()
        Stakeholder.history.filter(history_id=record.history_id).update(history_date=when)


def _at(hour, minute):
    return datetime(2026, 12, 3, hour, minute, tzinfo=UTC)


def test_an_autosave_burst_is_one_row_by_the_persons_name_in_the_deployments_time_zone(
    member_client, project, buyer, settings
):
    settings.TIME_ZONE = "Australia/Sydney"  # UTC+11 in December
    person = make_stakeholder(project, name="Pat", role_title="A")
    Stakeholder.history.update(history_date=_at(2, 50))
    colleague = make_user("colleague", first_name="Cal", last_name="Colleague")
    _saves(
        person,
        buyer,
        [(_at(3, 1), "role_title", "An"), (_at(3, 3), "role_title", "Ana"), (_at(3, 5), "role_title", "Analyst")],
    )
    _saves(person, buyer, [(_at(3, 6), "organisation", "Council")])  # another field: its own row
    _saves(person, colleague, [(_at(3, 7), "organisation", "City council")])  # another person
    _saves(person, buyer, [(_at(3, 30), "role_title", "Lead analyst")])  # after a pause: a new burst
    text = member_client.get(reverse("projects:history", args=[project.slug])).text
    rows = [row for row in text.split('<li class="history-item">')[1:] if "stakeholder" in row]
    assert len(rows) == 5  # added, the burst, the organisation twice, the later role
    burst = rows[3]
    assert "3 Dec 2026, 14:05</time> · <strong>Bea Buyer</strong> changed stakeholder" in burst
    assert "(in 3 saves from 14:01)" in burst
    assert 'from “<span class="wrap">A</span>” to “<span class="wrap">Analyst</span>”' in burst
    assert "<strong>Cal Colleague</strong>" in rows[1] and "3 Dec 2026, 14:07" in rows[1]
    assert 'to “<span class="wrap">Lead analyst</span>”' in rows[0] and "saves" not in rows[0]
    assert "buyer-user" not in text


def test_a_burst_typed_back_to_where_it_started_leaves_no_row(member_client, project, buyer):
    person = make_stakeholder(project, name="Pat", role_title="Analyst")
    Stakeholder.history.update(history_date=_at(2, 50))
    _saves(person, buyer, [(_at(3, 1), "role_title", "Analys"), (_at(3, 2), "role_title", "Analyst")])
    text = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert "changed stakeholder" not in text and "added stakeholder" in text
