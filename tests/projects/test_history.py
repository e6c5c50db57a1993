import pytest
from django.urls import reverse

from tests.factories import make_stakeholder

pytestmark = pytest.mark.django_db


def test_history_says_who_changed_which_field_from_what_to_what(member_client, project, buyer):
    person = make_stakeholder(project, name="Pat", role_title="Analyst")
    member_client.post(
        reverse("projects:stakeholder-edit", args=[project.slug, person.pk]),
        {"name": "Pat", "kind": person.kind, "interest": "high", "influence": person.influence, "role_title": "Lead",
         "version": person.version},
    )
    response = member_client.get(reverse("projects:history", args=[project.slug]))
    text = response.text
    assert "buyer-user</strong> changed stakeholder “<span class=\"wrap\">Pat</span>”" in text
    assert "from “<span class=\"wrap\">Analyst</span>” to “<span class=\"wrap\">Lead</span>”" in text
    assert "from “<span class=\"wrap\">Medium</span>” to “<span class=\"wrap\">High</span>”" in text


def test_deleted_records_stay_in_history(member_client, project):
    person = make_stakeholder(project, name="Gone")
    member_client.post(reverse("projects:stakeholder-delete", args=[project.slug, person.pk]))
    response = member_client.get(reverse("projects:history", args=[project.slug]))
    assert "deleted stakeholder “<span class=\"wrap\">Gone</span>”" in response.text
