"""The one-page brief, on the web and as an A4 PDF."""

import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.test import override_settings
from pypdf import PdfReader

from alignment.models import Session
from alignment.pdf import brief_pdf
from tests.factories import (
    fill_session,
    make_activity,
    make_assignment,
    make_milestone,
    make_risk,
    make_stakeholder,
)

pytestmark = pytest.mark.django_db


def fill(project, text="x"):
    project.problem_or_opportunity = f"Potholes take months to fix. {text}"
    project.desired_outcome = f"Roads repaired within a week. {text}"
    project.business_objective = f"Faster, cheaper road repairs. {text}"
    project.save()
    make_stakeholder(project, name="Erin Engineer", kind="core_team", role_title="Highways engineer")
    make_stakeholder(project, name="Sam Specialist", kind="sme", role_title="Asphalt chemist")
    make_stakeholder(project, name="Finance Board", kind="approver", approval_criteria="A costed business case")


def pdf_text(pdf):
    reader = PdfReader(BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def body_text(pdf) -> str:
    """The text inside the page margins (no running header, marking or page number), as one line:
    a text that runs from one page onto the next reads whole."""
    # A4 is 595 x 842 pt; pdf.css's margins are 22 mm (62 pt) at the top and 18 mm (51 pt) below.
    crop = ["-x", "0", "-y", "63", "-W", "595", "-H", "727"]
    out = subprocess.run(["pdftotext", *crop, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def test_the_brief_shows_problem_outcomes_and_who_is_involved(member_client, project):
    fill(project)
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    for text in [
        "Potholes take months to fix.",
        "Roads repaired within a week.",
        "Erin Engineer",
        "Highways engineer",
        "Sam Specialist",
        "Finance Board",
        "A costed business case",
    ]:
        assert text in page
    assert "Session 1 is not yet agreed" in page


def test_the_brief_says_what_the_raci_matrix_gives_each_person_to_do(member_client, project):
    fill(project)
    erin, sam = project.stakeholders.get(name="Erin Engineer"), project.stakeholders.get(name="Sam Specialist")
    award = make_activity(project, name="Contract award")
    evaluation = make_activity(project, name="Evaluation")
    make_assignment(award, erin, "AR")
    make_assignment(evaluation, erin, "R")
    make_assignment(evaluation, sam, "C")
    page = " ".join(member_client.get(f"/projects/{project.slug}/brief/").text.split())
    assert "accountable for Contract award; responsible for Contract award and 1 more" in page
    assert "consulted on Evaluation" in page
    reader, text = pdf_text(brief_pdf(project))
    assert "consulted on Evaluation" in " ".join(text.split())


def test_an_empty_brief_says_what_is_missing(member_client, project):
    page = " ".join(member_client.get(f"/projects/{project.slug}/brief/").text.split())
    assert page.count("Not written yet") == 3  # the problem, the outcomes, the constraints
    for text in [
        "No approvers identified yet.",
        "None planned yet: session 2 drafts the work plan.",
        "No open risks recorded yet",
        "Nobody is accountable in the RACI matrix yet.",
        "Not chosen yet: session 3 chooses it.",
        "No sponsor recorded.",
    ]:
        assert text in page
    assert "Shortened in this brief" not in page


def test_the_brief_pdf_is_one_a4_page_with_the_same_content(member_client, project):
    fill(project)
    response = member_client.get(f"/projects/{project.slug}/brief.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "Potholes take months to fix." in text and "A costed business case" in text


def test_a_brief_at_every_limit_flows_onto_more_pages_and_says_exactly_what_it_shortened(project):
    long_word = "x" * 10_000
    project.problem_or_opportunity = long_word[:5000]
    project.desired_outcome = ("word " * 1000)[:5000]
    project.business_objective = "\n" * 2000 + "objective"
    project.name = "N" * 200
    project.save()
    Session.objects.create(project=project, number=1, opportunity="y" * 5000, concerns=("constraint " * 500)[:5000])
    criteria = ("human review of every output before it is used. " * 41)[:2000].strip()
    for i in range(25):
        make_stakeholder(project, name=f"Core {i} " + "n" * 180, kind="core_team", role_title="r" * 200)
        make_stakeholder(project, name=f"Approver {i}", kind="approver", approval_criteria=criteria)
        make_stakeholder(project, name=f"SME {i}", kind="sme")
    people = list(project.stakeholders.all())
    for j in range(12):
        activity = make_activity(project, name=f"Activity {j} " + "a" * 150)
        for person in people:
            make_assignment(activity, person, "ARCI")
    for _ in range(4):
        make_risk(project, event=("event words " * 100)[:1000], mitigating_action=("act " * 500)[:2000], likelihood=4)
    pdf = brief_pdf(project)
    reader, text = pdf_text(pdf)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    flat = body_text(pdf)
    assert len(pages) > 1
    # Every page after the first says it continues the brief; every page carries the marking.
    assert "continued" not in pages[0]
    assert all("project brief, continued" in page for page in pages[1:])
    assert all(page.count("OFFICIAL") == 2 for page in pages)
    # The approvers' criteria are whole, never "human review of every ou…".
    # (A row that runs onto the next page repeats the table's header row there.)
    assert flat.replace("Approver What they need to give their support ", "").count(criteria) == 5
    assert "and 20 more (the stakeholder list has them and their criteria)" in flat
    # What is shortened is named, with how much is shown and where the rest is.
    for line in [
        "The problem: the first 1,199 of 5,000 characters; session 1 (and the project's details) has it in full.",
        "The opportunity: the first 1,199 of 5,000 characters; session 1 has it in full.",
        "The desired outcome: the first 1,194 of 4,999 characters; session 1 (and the project's details) has it in full.",
        "The concerns and constraints: the first 1,198 of 5,000 characters; session 1 has it in full.",
        "Names and activities ending in “…”: the stakeholder list and the RACI matrix have them in full.",
    ]:
        assert line in flat, line
    assert "'s event: the first" in flat and "the risk register has it in full." in flat
    # Cut at a word: the outcome ends "word…", not "wo…".
    assert "word word…" in flat


def test_a_criterion_is_never_cut_mid_word_and_a_short_brief_needs_no_note(project):
    fill(project)
    criteria = "A costed business case, a benefits plan, and human review of every output the supplier's model makes before use"
    project.stakeholders.filter(kind="approver").update(approval_criteria=criteria)
    reader, text = pdf_text(brief_pdf(project))
    assert len(reader.pages) == 1
    assert criteria in " ".join(text.split())
    assert "Shortened" not in text and "continued" not in text


@override_settings(PROTECTIVE_MARKING="OFFICIAL: Sensitive")
def test_the_protective_marking_is_on_the_page_and_at_the_top_and_bottom_of_every_pdf_page(member_client, project):
    fill(project)
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    assert page.count('<p class="protective-marking">OFFICIAL: Sensitive</p>') == 2
    for i in range(8):
        make_stakeholder(project, name=f"Board {i}", kind="approver", approval_criteria="Long criteria. " * 60)
    reader, text = pdf_text(brief_pdf(project))
    assert len(reader.pages) > 1
    for pdf_page in reader.pages:
        assert " ".join(pdf_page.extract_text().split()).count("OFFICIAL: Sensitive") == 2


@override_settings(PROTECTIVE_MARKING="")
def test_an_empty_protective_marking_shows_none(member_client, project):
    fill(project)
    assert "protective-marking" not in member_client.get(f"/projects/{project.slug}/brief/").text
    reader, text = pdf_text(brief_pdf(project))
    assert "OFFICIAL" not in text


def test_the_brief_gives_a_director_dates_budget_risks_constraints_support_and_who_is_accountable(
    member_client, project
):
    fill(project)
    project.sponsor = "Dee Director"
    project.start_date, project.end_date = date(2026, 2, 1), date(2027, 6, 30)
    project.budget_allocated, project.budget_revised, project.budget_spent = 250000, 230000, 12000
    project.save()
    Session.objects.create(project=project, number=1, concerns="The crews' devices are old.")
    Session.objects.create(project=project, number=3, support_level="guided")
    make_milestone(project, name="Market day held", baseline_end=date(2026, 3, 1), status="met")
    make_milestone(
        project, name="Business case approved", baseline_end=date(2026, 4, 1), forecast_end=date(2026, 4, 20)
    )
    make_milestone(project, name="Tender issued", baseline_end=date(2026, 9, 1))
    for event, likelihood, impact in [
        ("Low one", 1, 2),
        ("Supplier delay", 4, 5),
        ("Budget cut", 3, 4),
        ("Staff leave", 3, 3),
    ]:
        make_risk(project, event=event, likelihood=likelihood, impact=impact, mitigating_action=f"Act on {event}")
    make_risk(project, event="Closed big one", likelihood=5, impact=5, status="closed")
    erin = project.stakeholders.get(name="Erin Engineer")
    make_assignment(make_activity(project, name="Contract award"), erin, "A")
    expected = [
        "Starts 1 February 2026; ends 30 June 2027.",
        "Business case approved, due 20 April 2026 (baseline 1 April 2026)",
        "GBP 250,000 allocated, revised to GBP 230,000; GBP 12,000 spent",
        "Sponsor: Dee Director. Accountable in the RACI matrix: Erin Engineer for Contract award.",
        "Guided: The advisory team tailors the workshop templates",
        "The crews' devices are old.",
        "Supplier delay",
        "Act on Budget cut",
        "Staff leave",
    ]
    html = member_client.get(f"/projects/{project.slug}/brief/").text
    page = " ".join(re.sub(r"<[^>]+>", "", html).split()).replace("&#x27;", "'")
    reader, text = pdf_text(brief_pdf(project))
    flat = " ".join(text.split())
    for line in expected:
        assert line in page, line
        assert line in flat, line
    for absent in ["Market day held", "Low one", "Closed big one"]:  # met; fourth by score; closed
        assert absent not in page and absent not in flat
    assert flat.index("Supplier delay") < flat.index("Budget cut") < flat.index("Staff leave")


def test_a_role_in_brackets_and_an_organisation_do_not_make_two_brackets_in_a_row(member_client, project):
    make_stakeholder(
        project, name="Kim Lee", kind="core_team", role_title="Director (buyer)", organisation="DCS Customer Delivery"
    )
    make_stakeholder(project, name="Ola Ode", kind="core_team", role_title="Analyst", organisation="Treasury")
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    assert "Kim Lee, Director (buyer); DCS Customer Delivery" in page
    assert "Ola Ode, Analyst (Treasury)" in page
    assert ") (" not in page


def test_user_text_is_escaped_in_the_page_and_the_pdf(member_client, project):
    nasty = "<script>alert(1)</script><link rel=attachment href=file:///etc/hostname>{{7*7}}"
    project.problem_or_opportunity = nasty
    project.save()
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    reader, text = pdf_text(brief_pdf(project))
    assert "<script>alert(1)</script>" in text.replace("\n", "")  # shown as text
    assert reader.attachments == {}


def test_the_brief_names_who_agreed_session_1(member_client, officer_client, project):
    session = fill_session(Session.objects.create(project=project, number=1))
    for client in (member_client, officer_client):
        client.post(f"/projects/{project.slug}/sessions/1/sign/", {"version": session.version})
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    assert "Session 1 agreed by Bea Buyer (buyer) and Olu Officer (procurement officer)." in page


def test_the_brief_query_count_does_not_grow(member_client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            member_client.get(f"/projects/{project.slug}/brief/")
        return len(queries)

    fill(project)
    owner = make_stakeholder(project, name="Risk owner")
    make_risk(project, owner=owner)
    make_milestone(project)
    small = count()
    for i in range(30):
        person = make_stakeholder(project, kind=["core_team", "sme", "approver"][i % 3])
        make_assignment(make_activity(project), person, "AR")
        make_risk(project, owner=person, likelihood=3)
        make_milestone(project)
    assert count() == small
