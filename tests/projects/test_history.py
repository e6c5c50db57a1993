from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_milestone, make_stakeholder

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
    assert 'buyer-user</strong> changed stakeholder “<span class="wrap">Pat</span>”' in text
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
