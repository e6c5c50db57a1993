"""The whole journey, as new users meet it: buyer, procurement officer, project manager, advisor."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in
from tests.factories import make_advisor, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

SLUG = "river-sensors"


def nav(page, name):
    page.get_by_role("navigation", name="Project").get_by_role("link", name=name, exact=True).click()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def autosave(page, label, text):
    field = page.get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    state = page.locator(f"#state-{field.get_attribute('name')}")
    expect(state).to_contain_text("Saved")


def choose(page, field_name, index=1):
    page.locator(f"input[name='{field_name}']").nth(index).check()
    expect(page.locator(f"#state-{field_name}")).to_contain_text("Saved")


def add_stakeholder(page, name, kind, role_title, criteria=""):
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add stakeholder"))
    form.get_by_label("Name*").fill(name)
    form.get_by_label("Kind*").select_option(kind)
    form.get_by_label("Role or title").fill(role_title)
    if criteria:
        form.get_by_label("Approval criteria").fill(criteria)
    form.get_by_role("button", name="Add stakeholder").click()
    expect(page.locator("#stakeholders-table").get_by_role("cell", name=name, exact=True)).to_be_visible()


def sign_off(page, number, role):
    page.goto(f"/projects/{SLUG}/sessions/{number}/")
    page.get_by_role("button", name=f"Sign off as {role}").click()
    expect(page.locator("#signoff-panel")).to_contain_text("signed off by")


def test_from_a_new_project_to_an_issued_highlight_report_and_the_advisors_review(page):
    make_user("bea", first_name="Bea", last_name="Buyer")
    make_user("oli", first_name="Oli", last_name="Officer")
    make_user("max", first_name="Max", last_name="Manager")
    make_advisor("alex")

    # The buyer creates the project and brings in the officer and the project manager.
    log_in(page, "bea")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name*").fill("River level sensors")
    page.get_by_label("Slug").fill(SLUG)
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="River level sensors")).to_be_visible()
    page.goto(f"/projects/{SLUG}/members/")
    for username, role in [("oli", "officer"), ("max", "manager")]:
        page.get_by_label("Username or email").fill(username)
        page.get_by_label("Role*").select_option(role)
        page.get_by_role("button", name="Add or invite").click()
        expect(page.get_by_role("cell", name=f"Remove {username}")).to_be_visible()

    # Stakeholders.
    nav(page, "Stakeholders")
    add_stakeholder(page, "Dana Approver", "approver", "Director of Environment", "A costed case and a pilot report")
    add_stakeholder(page, "Sam Hydrologist", "sme", "Senior hydrologist")
    add_stakeholder(page, "Oli Officer", "procurement", "Procurement officer")

    # Session 1: the outcome, the problem, maturity and risk appetite.
    nav(page, "Session 1")
    autosave(page, "Desired outcome", "Flood wardens see river levels live")
    autosave(page, "Buying objectives", "Buy a sensor network that the council can run")
    autosave(page, "Problem", "Gauges are read by hand once a day")
    # Every topic of session 1 has content before it can be signed off.
    for label, text in [
        ("Strategic drivers", "The council's flood resilience plan"),
        ("Current situation", "Wardens phone the gauge readers"),
        ("Needs", "Live levels on a phone"),
        ("Opportunity", "Share the data with the Environment Agency"),
        ("Progress to date", "A pilot site is agreed"),
        ("Concerns or constraints", "Power at remote sites"),
        ("Prior experience of innovation buying", "None yet"),
    ]:
        autosave(page, label, text)
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add evidence"))
    form.get_by_label("Evidence*").fill("Three floods in 2024 were seen late")
    form.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Three floods in 2024 were seen late").first).to_be_visible()
    choose(page, "maturity")
    choose(page, "risk_appetite")
    page.get_by_role("checkbox", name="Dana Approver, Director of Environment").check()
    expect(page.locator("#state-attendees")).to_contain_text("Saved")

    # Session 2: a milestone and a risk, in the editors the session embeds.
    page.goto(f"/projects/{SLUG}/sessions/2/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add milestone"))
    form.get_by_label("Name*").fill("Pilot on the River Ouse")
    form.get_by_label("Baseline end").fill("2026-09-30")
    form.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_text("Pilot on the River Ouse").first).to_be_visible()
    form = page.locator("#risks-table form")
    form.get_by_label("Event*").fill("Sensors are stolen or vandalised")
    form.get_by_label("Likelihood*").fill("2")
    form.get_by_label("Impact*").fill("3")
    form.get_by_label("Action to mitigate").fill("Lockable housings")
    form.get_by_role("button", name="Add risk").click()
    expect(page.get_by_text("Sensors are stolen or vandalised").first).to_be_visible()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add to the log"))
    form.get_by_label("Assumption or question*").fill("Will the mobile network reach the sites?")
    form.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_text("Will the mobile network reach the sites?").first).to_be_visible()

    # Session 3: the RACI (one activity, Dana accountable and responsible) and the support level.
    page.goto(f"/projects/{SLUG}/sessions/3/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add activity"))
    form.get_by_label("Activity*").fill("Approve the business case")
    form.get_by_role("button", name="Add activity").click()
    cell = page.get_by_role("button", name="none: Approve the business case, Dana Approver")
    cell.click()
    cell = page.get_by_role("button", name="R: Approve the business case, Dana Approver")
    cell.click()
    cell = page.get_by_role("button", name="A: Approve the business case, Dana Approver")
    cell.click()
    expect(page.get_by_role("button", name="AR: Approve the business case, Dana Approver")).to_be_visible()
    page.get_by_role("button", name="Accept the recommendation").click()
    expect(page.locator(".support-chosen")).to_contain_text("as recommended")

    # The communication plan.
    nav(page, "Communications")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add communication"))
    form.get_by_label("Audience group").fill("Flood wardens")
    form.get_by_label("Purpose or message*").fill("Monthly update on the pilot")
    form.get_by_role("button", name="Add communication").click()
    expect(page.get_by_text("Monthly update on the pilot").first).to_be_visible()

    # Both sign off the three sessions.
    for number in (1, 2, 3):
        sign_off(page, number, "buyer")
    log_out(page)
    log_in(page, "oli")
    for number in (1, 2, 3):
        sign_off(page, number, "procurement officer")
        expect(page.locator("#signoff-panel")).to_contain_text("Agreed")

    # Readiness is complete on the dashboard.
    nav(page, "Dashboard")
    readiness = page.locator("section.readiness")
    expect(readiness).to_contain_text("5 of 5 success criteria met")
    expect(readiness.locator(".readiness-item.is-missing")).to_have_count(0)
    assert page.console.errors == []
    log_out(page)

    # The project manager issues the first highlight report and downloads its PDF.
    log_in(page, "max")
    page.get_by_role("link", name="River level sensors").click()
    nav(page, "Reports")
    page.get_by_label("Period from").fill("2026-03-01")
    page.get_by_label("Period to").fill("2026-03-31")
    page.get_by_role("button", name="Start report").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue report 1").click()
    expect(page.get_by_text("This report has been issued and is frozen")).to_be_visible()
    download = page.get_by_role("link", name="Download the issued PDF")
    pdf = page.context.request.get(download.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    assert "River level sensors" in text
    assert "Sensors are stolen or vandalised" in text  # the risk from session 2, in the snapshot
    assert page.console.errors == []
    log_out(page)

    # An advisor finds the project in admin.
    log_in(page, "alex")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Admin").click()
    page.locator("#content-main").get_by_role("link", name="Projects", exact=True).last.click()
    page.locator("#searchbar").fill("River")
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list").get_by_role("link", name="River level sensors")).to_be_visible()
    page.locator("#result_list").get_by_role("link", name="River level sensors").click()
    expect(page.locator("#content")).to_contain_text("River level sensors")
