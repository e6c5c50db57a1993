import pytest
from django.urls import reverse

from projects.advisory import queries
from projects.models import Project
from raci.rules import readiness as raci_readiness
from tests.factories import make_activity, make_assignment, make_project, make_raci, make_stakeholder

pytestmark = pytest.mark.django_db


def portfolio_rows():
    return {p.name: p for p in queries.portfolio(Project.objects.all())}


def test_raci_readiness_and_the_rule_check_agree_with_the_matrix_rules(advisor, client_as):
    good = make_project(name="Good matrix")
    make_raci(good, activities=3, people=3)
    two_as = make_project(name="Two accountable")
    people = [make_stakeholder(two_as) for _ in range(2)]
    row = make_activity(two_as, name="Award the contract")
    make_assignment(row, people[0], "AR")
    make_assignment(row, people[1], "A")
    no_r = make_project(name="Nobody responsible")
    make_assignment(make_activity(no_r, name="Evaluate"), make_stakeholder(no_r), "A")
    empty = make_project(name="No activities")
    rows = portfolio_rows()
    for project in (good, two_as, no_r, empty):
        assert rows[project.name].ready_raci == raci_readiness(project)[0], project.name
    assert {name for name, p in rows.items() if p.check_raci} == {"Two accountable", "Nobody responsible"}
    client = client_as(advisor)
    listed = client.get(reverse("admin:projects_project_changelist"), {"check": "check_raci"})
    assert {p.name for p in listed.context["cl"].result_list} == {"Two accountable", "Nobody responsible"}
    page = client.get(reverse("admin:projects_project_change", args=[two_as.pk])).text
    assert "Award the contract: 2 accountable, 1 responsible" in page


def test_the_raci_lists_in_admin_show_the_rule_counts(advisor, client_as):
    project = make_project()
    make_assignment(make_activity(project, name="Evaluate"), make_stakeholder(project), "C")
    text = client_as(advisor).get(reverse("admin:raci_activity_changelist")).text
    assert "Evaluate" in text and "0 (should be 1)" in text and "0 (needs one)" in text
