"""Two people, one record: nobody's update is silently lost."""

import pytest
from django.urls import reverse

from projects.models import Membership
from tests.factories import make_stakeholder, make_user

pytestmark = pytest.mark.django_db


def form_data(person, **changes):
    data = {
        "name": person.name,
        "kind": person.kind,
        "interest": person.interest,
        "influence": person.influence,
        "version": person.version,
    }
    return {**data, **changes}


def test_a_stale_save_shows_their_values_and_keeps_mine(client_as, project, buyer):
    colleague = make_user()
    project.memberships.create(user=colleague, role=Membership.Role.OFFICER)
    person = make_stakeholder(project, name="Pat", role_title="Analyst")
    edit_url = reverse("projects:stakeholder-edit", args=[project.slug, person.pk])
    alice, bob = client_as(buyer), client_as(colleague)

    # Both open the form at version 1; Bob saves first.
    assert bob.post(edit_url, form_data(person, role_title="Lead analyst")).status_code == 302
    response = alice.post(edit_url, form_data(person, role_title="Head of analysis"))

    assert response.status_code == 200
    assert "Someone else changed this while you were editing." in response.text
    assert "Lead analyst" in response.text  # their value
    # Their values are in the box above the form's message, and the message says so.
    text = response.text
    assert "Their saved values are shown above" in text
    assert text.index("Their saved values:") < text.index("Their saved values are shown above")
    assert 'value="Head of analysis"' in response.text  # mine, kept for a retry
    person.refresh_from_db()
    assert person.role_title == "Lead analyst"

    # Saving again is a deliberate overwrite and succeeds.
    retry = alice.post(edit_url, form_data(person, role_title="Head of analysis"))
    assert retry.status_code == 302
    person.refresh_from_db()
    assert person.role_title == "Head of analysis"
    assert person.version == 3


def test_a_stale_project_edit_is_refused(client_as, project, buyer):
    data = {
        "name": "First",
        "slug": project.slug,
        "buying_type": "goods",
        "stage": "plan",
        "currency": "GBP",
        "rag_status": "green",
        "version": 1,
    }
    client = client_as(buyer)
    assert client.post(reverse("projects:edit", args=[project.slug]), data).status_code == 302
    response = client.post(reverse("projects:edit", args=[project.slug]), {**data, "name": "Second"})
    assert "Someone else changed this" in response.text
    project.refresh_from_db()
    assert project.name == "First"
