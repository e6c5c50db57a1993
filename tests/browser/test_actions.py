from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alignment.models import Action, Assumption
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_a_buyer_records_actions_sees_the_overdue_one_flagged_and_closes_one(page):
    user = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets", name="Street lighting")
    jim = make_stakeholder(project, name="Jim Burness")
    make_stakeholder(project, name="Erin Engineer")
    question = Assumption.objects.create(
        project=project, text="Will the JIB release contingency funding?", owner=jim, due_date=timezone.localdate()
    )
    past = timezone.localdate() - timedelta(days=10)
    log_in(page, "bea")

    # Add an action with an owner and a past due date on session 2.
    page.goto("/projects/streets/sessions/2/")
    actions = page.locator("#actions")
    expect(actions).to_contain_text("No actions from this session yet.")
    actions.get_by_label("Action").fill("Send the spend data to SECE")
    actions.get_by_label("Owner").select_option(label="Erin Engineer")
    actions.get_by_label("Due date").fill(past.isoformat())
    actions.get_by_role("button", name="Add the action").click()
    row = actions.get_by_role("row").filter(has_text="Send the spend data to SECE")
    expect(row).to_contain_text("Erin Engineer")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Open")
    added = Action.objects.get()
    assert (added.session.number, added.owner.name, added.due_date) == (2, "Erin Engineer", past)

    # The dashboard lists it, flagged and counted.
    page.goto("/projects/streets/")
    panel = page.locator(".open-actions")
    expect(panel.get_by_role("listitem").filter(has_text="Send the spend data to SECE")).to_contain_text("Overdue")
    expect(page.locator(".readiness")).to_contain_text("1 open, 1 overdue.")

    # A question of the log becomes an action: once.
    page.goto("/projects/streets/sessions/2/")
    log_row = page.locator(f"#assumption-{question.pk}")
    log_row.get_by_role("button", name="Make an action").click()
    expect(page.locator("#messages")).to_contain_text("Added the action")
    made = Action.objects.get(source_assumption=question)
    assert page.url.endswith(f"/sessions/2/#action-{made.pk}")
    made_row = page.locator(f"#action-{made.pk}")
    expect(made_row).to_contain_text("Will the JIB release contingency funding?")
    expect(made_row).to_contain_text("Jim Burness")
    expect(made_row).to_contain_text("From the assumptions and questions log")
    expect(log_row.get_by_role("link", name="Made into an action")).to_be_visible()
    expect(log_row.get_by_role("button", name="Make an action")).to_have_count(0)

    # Mark the overdue one done, in place.
    first = page.locator(f"#action-{added.pk}")
    first.get_by_role("link", name="Edit").click()
    editing = page.locator(f"#action-{added.pk}.editing")
    editing.get_by_label("Status").select_option(label="Done")
    editing.get_by_role("button", name="Save").click()
    expect(page.locator(f"#action-{added.pk}:not(.editing)")).to_contain_text("Done")
    expect(page.locator(f"#action-{added.pk}")).not_to_contain_text("Overdue")
    added.refresh_from_db()
    assert added.status == "done"

    # The dashboard now lists only the open one, and nothing overdue.
    page.goto("/projects/streets/")
    expect(page.locator(".readiness")).to_contain_text("1 open, none overdue.")
    expect(page.locator(".open-actions")).to_contain_text("Will the JIB release contingency funding?")
    expect(page.locator(".open-actions")).not_to_contain_text("Send the spend data to SECE")
    assert page.console.errors == []
