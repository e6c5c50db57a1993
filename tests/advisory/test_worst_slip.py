"""Slip across all milestones (issue 16 point 3): a project whose next milestone is on time but
a later one is 44 days late is slipping in the admin list, its filter and the portfolio export."""

from datetime import date

import pytest

from tests.factories import make_milestone, make_project

from .test_actions import run_action, sheet_rows
from .test_project_list import changelist, names_listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_later():
    project = make_project(name="Late later")
    make_milestone(project, name="Kick-off", baseline_end=date(2027, 1, 10), forecast_end=date(2027, 1, 10))
    make_milestone(project, name="Tender", baseline_end=date(2027, 3, 1), forecast_end=date(2027, 4, 14))
    make_milestone(project, name="Award", baseline_end=date(2027, 5, 1), forecast_end=date(2027, 5, 8))
    make_milestone(
        project,
        name="Done late",
        status="met",
        baseline_start=date(2025, 12, 1),
        baseline_end=date(2026, 1, 1),
        actual_end=date(2026, 6, 1),
    )
    steady = make_project(name="Steady")
    make_milestone(steady, baseline_end=date(2027, 1, 10), forecast_end=date(2027, 1, 9))
    return project


def test_a_late_later_milestone_makes_the_project_slipping_in_the_list_and_its_filter(advisor, client_as, late_later):
    client = client_as(advisor)
    page = changelist(client).text
    assert "Kick-off" in page and "on time" in page
    assert "2 milestones slipping, worst 44 days" in page  # the met one's old slip does not count
    assert names_listed(changelist(client, next_milestone="slipping")) == {"Late later"}
    assert names_listed(changelist(client, next_milestone="on_time")) == {"Steady"}


def test_the_portfolio_export_gives_the_count_and_the_worst_slip(advisor, client_as, late_later):
    _, rows = sheet_rows(run_action(client_as(advisor), "export_portfolio", [late_later]))
    header, row = rows
    row = dict(zip(header, row))
    assert (row["Next milestone"], row["Next milestone slip (days)"]) == ("Kick-off", 0)
    assert (row["Milestones slipping"], row["Worst slip (days)"]) == (2, 44)
