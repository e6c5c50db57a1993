"""The admin and the consistency checks tell the truth (issue 16, point 9): an empty project is
a problem, overdue reviews carry a problem mark and a count that matches the register, the
risk settings speak words, and a communication to a group reaches the stakeholder so named."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.advisory.portfolio import COLUMNS, portfolio_rows
from projects.advisory.queries import portfolio
from projects.models import Project
from tests.factories import (
    make_activity,
    make_assignment,
    make_communication,
    make_project,
    make_risk,
    make_stakeholder,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:projects_project_changelist")


def names_listed(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {project.name for project in response.context["cl"].result_list}


def complete_basics(project):
    project.sponsor, project.project_manager, project.business_objective = "Sam", "Pat", "Cleaner rivers"
    project.save()
    make_risk(project, owner=make_stakeholder(project))
    return project


def test_an_empty_project_is_a_problem_not_no_problems(advisor, client_as):
    empty = make_project(name="Empty project")
    complete_basics(make_project(name="Has the basics"))
    client = client_as(advisor)
    assert names_listed(client, check="none") == {"Has the basics"}
    assert names_listed(client, check="any") == {"Empty project"}
    assert names_listed(client, check="check_basics") == {"Empty project"}
    page = client.get(reverse("admin:projects_project_change", args=[empty.pk])).text
    assert "Empty project: no sponsor, no project manager, no business objective, no risks recorded" in page


def test_each_missing_basic_is_named(advisor, client_as):
    project = complete_basics(make_project(name="Nearly"))
    project.project_manager = "   "
    project.save()
    page = client_as(advisor).get(reverse("admin:projects_project_change", args=[project.pk])).text
    assert "Nearly: no project manager" in page and "no sponsor" not in page


def test_overdue_reviews_show_a_problem_mark_and_a_count_that_matches_the_register(advisor, client_as, buyer):
    today = timezone.localdate()
    late = complete_basics(make_project(name="Late reviews", members={buyer: "buyer"}))
    for days in (1, 30):
        make_risk(late, next_review_date=today - timedelta(days=days), date_raised=today - timedelta(days=60))
    make_risk(late, next_review_date=today - timedelta(days=5), date_raised=today - timedelta(days=60), status="closed")
    make_risk(late, next_review_date=today, date_raised=today)  # due today: not overdue
    complete_basics(make_project(name="On time"))
    client = client_as(advisor)
    page = client.get(CHANGELIST).text
    row = page[page.index("Late reviews") :]
    row = row[: row.index("</tr>")]
    assert 'alt="Problem:"> 2 overdue' in row and "icon-alert.svg" in row and "icon-yes" not in row
    on_time = page[page.index("On time") :]
    assert "None" in on_time[: on_time.index("</tr>")]
    # The same two in the register's "past their review date" filter and in the export.
    register = client_as(buyer).get(reverse("risks:register", args=[late.slug]), {"review": "overdue"})
    assert len(list(register.context["risks"])) == 2
    rows = {r[0]: r for r in portfolio_rows(portfolio(Project.objects.all()))}
    column = [header for header, _ in COLUMNS].index("Overdue risk reviews")
    assert (rows["Late reviews"][column], rows["On time"][column]) == (2, 0)
    assert names_listed(client, overdue="yes") == {"Late reviews"}


def test_the_risk_settings_page_says_bands_must_rise_in_words(member_client, project):
    url = reverse("risks:settings", args=[project.slug])
    for low, medium, high in (("6", "4", "9"), ("0", "4", "9"), ("2", "4", "3")):
        response = member_client.post(url, {"low_max": low, "medium_max": medium, "high_max": high, "version": "1"})
        assert response.status_code == 200
        assert "Thresholds must rise" in response.text
        assert "risk_bands_ordered" not in response.text and "Constraint" not in response.text
        assert response.text.count("Thresholds must rise") == 1
    from risks.models import RiskSettings

    assert not RiskSettings.objects.filter(project=project).exists()


def test_a_communication_to_a_group_reaches_the_stakeholder_of_that_name(member_client, project):
    board = make_stakeholder(project, name="Procurement Project Board")
    jib = make_stakeholder(project, name="Joint Improvement Board (JIB)")
    council = make_stakeholder(project, name="Ali Officer", organisation="Bucks County Council")
    nobody = make_stakeholder(project, name="Erin Engineer")
    activity = make_activity(project)
    for person in (board, jib, council, nobody):
        make_assignment(activity, person, "I")
    make_communication(project, audience_group="Procurement  project board")
    make_communication(project, audience_group="Joint Improvement Board")
    make_communication(project, audience_group="Bucks County Council")
    page = " ".join(member_client.get(reverse("plan:communications", args=[project.slug])).text.split())
    for name in ("Procurement Project Board", "Joint Improvement Board (JIB)", "Ali Officer"):
        assert f"In the plan</span> <strong>{name}</strong>" in page
    assert "Not in the plan yet</span> <strong>Erin Engineer</strong>" in page
