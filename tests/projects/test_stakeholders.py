import pytest
from django.urls import reverse

from projects.models import Stakeholder
from tests.factories import make_stakeholder

pytestmark = pytest.mark.django_db


def url(project, name="projects:stakeholders", *args):
    return reverse(name, args=[project.slug, *args])


def test_adding_a_stakeholder_without_javascript(member_client, project):
    response = member_client.post(
        url(project), {"name": "Chris Furness", "kind": "sponsor", "interest": "high", "influence": "high"}
    )
    assert response.status_code == 302
    response = member_client.get(response["Location"])
    assert "Chris Furness" in response.text and "Added “Chris Furness”." in response.text


def test_adding_with_htmx_returns_the_table_only(member_client, project):
    response = member_client.post(
        url(project),
        {
            "name": "Dana",
            "kind": "approver",
            "interest": "low",
            "influence": "high",
            "approval_criteria": "A costed business case",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="stakeholders-table">')
    assert "A costed business case" in response.text
    assert "<html" not in response.text


def test_an_invalid_htmx_form_comes_back_with_its_errors_and_status_200(member_client, project):
    response = member_client.post(url(project), {"name": "  ", "kind": "sme"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Enter the stakeholder" in response.text
    assert not Stakeholder.objects.exists()


def test_hostile_text_is_shown_as_text(member_client, project):
    make_stakeholder(project, name="<script>alert(1)</script>", organisation="{{7*7}}")
    response = member_client.get(url(project))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "{{7*7}}" in response.text


def test_control_characters_pasted_from_word_are_stripped(member_client, project):
    member_client.post(url(project), {"name": "Ann\x0bSmith\x1f", "kind": "sme", "interest": "low", "influence": "low"})
    assert Stakeholder.objects.get().name == "AnnSmith"


def test_200kb_in_one_field_is_refused(member_client, project):
    response = member_client.post(
        url(project),
        {"name": "Big", "kind": "sme", "interest": "low", "influence": "low", "communication_needs": "x" * 200_000},
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.text
    assert not Stakeholder.objects.exists()


def test_inline_edit_swaps_the_row(member_client, project):
    person = make_stakeholder(project, name="Old name")
    response = member_client.get(url(project, "projects:stakeholder-edit", person.pk), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith(f'<tr id="stakeholder-{person.pk}" class="editing">')
    response = member_client.post(
        url(project, "projects:stakeholder-edit", person.pk),
        {"name": "New name", "kind": "sme", "interest": "low", "influence": "low", "version": person.version},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith(f'<tr id="stakeholder-{person.pk}">')
    assert "New name" in response.text


def test_delete_asks_first_without_javascript_then_deletes(member_client, project):
    person = make_stakeholder(project, name="Leaving")
    page = member_client.get(url(project, "projects:stakeholder-delete", person.pk))
    assert "Delete stakeholder “Leaving”?" in page.text
    assert Stakeholder.objects.filter(pk=person.pk).exists()
    member_client.post(url(project, "projects:stakeholder-delete", person.pk))
    assert not Stakeholder.objects.filter(pk=person.pk).exists()
    assert Stakeholder.history.filter(id=person.pk, history_type="-").exists()


def test_stakeholder_page_query_count_is_flat(member_client, project, django_assert_max_num_queries):
    for _ in range(3):
        make_stakeholder(project)
    with django_assert_max_num_queries(8) as small:
        member_client.get(url(project))
    for _ in range(30):
        make_stakeholder(project)
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.get(url(project))


def test_order_added_lists_stakeholders_as_they_were_added_not_by_name(member_client, project):
    for name in ("Zed", "Amy", "Mo"):
        assert member_client.post(url(project), {"name": name, "kind": "sme", "interest": "high", "influence": "high"})
    text = member_client.get(url(project), {"sort": "position"}).text
    assert text.index(">Zed<") < text.index(">Amy<") < text.index(">Mo<")
    assert list(project.stakeholders.values_list("name", flat=True)) == ["Zed", "Amy", "Mo"]


def test_the_list_filters_by_kind_and_sorts_by_name(member_client, project):
    make_stakeholder(project, name="Zed", kind="approver")
    make_stakeholder(project, name="Amy", kind="approver")
    make_stakeholder(project, name="Bob", kind="sme")
    response = member_client.get(url(project), {"kind": "approver", "sort": "name"})
    text = response.text
    assert "Bob" not in text
    assert text.index(">Amy<") < text.index(">Zed<")
