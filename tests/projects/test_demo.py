import pytest
from django.core.management import call_command

from projects.models import Project
from projects.plan.models import Milestone

pytestmark = pytest.mark.django_db


def test_load_demo_builds_the_council_project_of_seed_004_once():
    call_command("load_demo")
    call_command("load_demo")
    project = Project.objects.get(slug="bucks-procurement")
    assert Project.objects.filter(slug="bucks-procurement").count() == 1
    assert (project.sponsor, project.project_manager) == ("Chris Furness", "Jim Burness")
    assert (project.budget_allocated, project.budget_revised) == (50000, 30000)
    ends = sorted(m.baseline_end.strftime("%B %Y") for m in project.milestones.filter(within_project=True))
    assert ends == ["April 2008", "March 2008", "November 2007"]
    assert Milestone.objects.filter(project=project, within_project=False).count() == 1
    assert {m.user.username for m in project.memberships.select_related("user")} == {"buyer", "officer", "manager"}


def test_load_demo_large_adds_the_benchmark_project():
    call_command("load_demo", large=True)
    project = Project.objects.get(slug="large-demo")
    assert project.milestones.count() == 40
    assert project.stakeholders.count() == 30
