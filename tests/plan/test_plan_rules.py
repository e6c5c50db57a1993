"""Work-plan rules: dependencies (finish-to-start, no loops), dates, slip."""

from datetime import date

import pytest
from django.urls import reverse

from projects.plan.forms import MilestoneForm
from projects.plan.models import Milestone
from tests.factories import make_milestone, make_project

pytestmark = pytest.mark.django_db


def data(**fields):
    return {
        "name": "Roadmap",
        "kind": "approval",
        "within_project": "on",
        "status": "scheduled",
        "baseline_start": "2026-02-01",
        "baseline_end": "2026-03-01",
        **fields,
    }


def edit(project, milestone, **fields):
    form = MilestoneForm(
        data(name=milestone.name, version=milestone.version, **fields), instance=milestone, project=project
    )
    return form, form.is_valid() and form.save_versioned()


def test_a_milestone_can_depend_on_others_finish_to_start(project):
    board = make_milestone(project, name="Board")
    roadmap = make_milestone(project, name="Roadmap")
    form, saved = edit(project, roadmap, depends_on=[board.pk])
    assert saved, form.errors
    assert list(roadmap.depends_on.all()) == [board]


def test_a_dependency_that_would_close_a_loop_is_refused_with_the_loop_named(project):
    a, b, c = (make_milestone(project, name=n) for n in ("Board", "Roadmap", "Prioritisation"))
    b.depends_on.add(a)
    c.depends_on.add(b)
    form, saved = edit(project, a, depends_on=[c.pk])
    assert not saved
    message = form.errors["depends_on"][0]
    assert "loop" in message
    assert "“Prioritisation” → “Roadmap” → “Board”" in message
    assert not a.depends_on.exists()


def test_a_two_milestone_loop_is_refused_too(project):
    a, b = make_milestone(project, name="A"), make_milestone(project, name="B")
    b.depends_on.add(a)
    form, saved = edit(project, a, depends_on=[b.pk])
    assert not saved and "loop" in form.errors["depends_on"][0]


def test_a_milestone_cannot_depend_on_itself(project):
    a = make_milestone(project, name="A")
    form, saved = edit(project, a, depends_on=[a.pk])
    assert not saved
    assert form.errors["depends_on"] == ["A milestone cannot depend on itself."]


def test_a_milestone_cannot_depend_on_another_projects_milestone(project):
    theirs = make_milestone(make_project(), name="Theirs")
    form = MilestoneForm(data(depends_on=[theirs.pk]), project=project)
    assert not form.is_valid()
    assert form.errors["depends_on"] == ["Choose milestones of this project only."]


def test_the_dependency_list_offers_the_projects_other_milestones_only(project):
    a, _b = make_milestone(project, name="A"), make_milestone(project, name="B")
    make_milestone(make_project(), name="Elsewhere")
    form = MilestoneForm(instance=a, project=project)
    assert [label for _, label in form.fields["depends_on"].choices] == ["B"]


def test_the_end_cannot_be_before_the_start(project):
    form = MilestoneForm(data(baseline_start="2026-03-01", baseline_end="2026-02-01"), project=project)
    assert form.errors["baseline_end"] == ["The end date cannot be before the start date."]


def test_forecast_and_actual_ends_cannot_be_before_the_start(project):
    form = MilestoneForm(data(forecast_end="2026-01-01", actual_end="2026-01-15"), project=project)
    assert form.errors["forecast_end"] == ["The forecast end cannot be before the start date."]
    assert form.errors["actual_end"] == ["The actual end cannot be before the start date."]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_dates_outside_a_sane_range_are_refused_in_plain_words(project, value):
    form = MilestoneForm(data(baseline_end=value, baseline_start=""), project=project)
    assert form.errors["baseline_end"] == ["Use a date between 1900 and 2199."]


def test_a_milestone_with_no_dates_is_allowed(project):
    form = MilestoneForm(data(baseline_start="", baseline_end=""), project=project)
    assert form.is_valid(), form.errors


def test_the_database_refuses_an_end_before_the_start_even_past_the_form(project):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_milestone(project, baseline_start=date(2026, 3, 1), baseline_end=date(2026, 2, 1))


@pytest.mark.parametrize(
    ("forecast", "actual", "slip"),
    [
        (None, None, 0),
        (date(2026, 3, 1), None, 0),
        (date(2026, 2, 20), None, 0),
        (date(2026, 3, 11), None, 10),
        (date(2026, 3, 11), date(2026, 3, 3), 2),
        (None, date(2026, 3, 31), 30),
    ],
)
def test_slip_is_days_past_the_baseline_end_actual_first(project, forecast, actual, slip):
    m = make_milestone(project, baseline_end=date(2026, 3, 1), forecast_end=forecast, actual_end=actual)
    assert m.slip_days == slip
    assert (m in Milestone.objects.slipping()) == bool(slip)


def test_rag_turns_amber_then_red_as_slip_grows(project):
    assert make_milestone(project, baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 31)).rag == "amber"
    assert make_milestone(project, baseline_end=date(2026, 3, 1), forecast_end=date(2026, 4, 1)).rag == "red"
    m = make_milestone(project, status="not_met")
    assert (m.rag, m.rag_words) == ("red", "Not met")


def test_the_dependency_refusal_reaches_the_user_through_htmx_with_status_200(member_client, project):
    a, b = make_milestone(project, name="A"), make_milestone(project, name="B")
    b.depends_on.add(a)
    response = member_client.post(
        reverse("plan:milestone-edit", args=[project.slug, a.pk]),
        data(name="A", version=a.version, depends_on=[b.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "That would make a loop" in response.text
    assert not a.depends_on.exists()
