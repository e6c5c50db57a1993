"""The one-page brief, on the web and as an A4 PDF."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from alignment.models import Session
from alignment.pdf import brief_pdf
from tests.factories import fill_session, make_activity, make_assignment, make_stakeholder

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
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    assert page.count("Not written yet") == 2
    assert "No approvers identified yet." in page


def test_the_brief_pdf_is_one_a4_page_with_the_same_content(member_client, project):
    fill(project)
    response = member_client.get(f"/projects/{project.slug}/brief.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "Potholes take months to fix." in text and "A costed business case" in text


def test_a_brief_at_every_limit_still_fits_one_page(project):
    long_word = "x" * 10_000
    project.problem_or_opportunity = long_word[:5000]
    project.desired_outcome = ("word " * 1000)[:5000]
    project.business_objective = "\n" * 2000 + "objective"
    project.save()
    Session.objects.create(project=project, number=1, opportunity="y" * 5000)
    for i in range(25):
        make_stakeholder(project, name=f"Core {i} " + "n" * 180, kind="core_team", role_title="r" * 200)
        make_stakeholder(project, name=f"Approver {i}", kind="approver", approval_criteria="c" * 2000)
        make_stakeholder(project, name=f"SME {i}", kind="sme")
    people = list(project.stakeholders.all())
    for j in range(12):
        activity = make_activity(project, name=f"Activity {j} " + "a" * 150)
        for person in people:
            make_assignment(activity, person, "ARCI")
    reader, text = pdf_text(brief_pdf(project))
    assert len(reader.pages) == 1, len(reader.pages)
    assert "shortened to fit one page" in text
    assert "and 21 more" in text.replace("\n", " ")


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
    small = count()
    for i in range(30):
        person = make_stakeholder(project, kind=["core_team", "sme", "approver"][i % 3])
        make_assignment(make_activity(project), person, "AR")
    assert count() == small
