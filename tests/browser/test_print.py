"""Printing loses nothing: Chromium's own print (page.pdf(), print media) of the session pages
and the RACI matrix, read back with pdftotext."""

import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from alignment.models import Session
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_activity, make_assignment, make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

# Nine people, as the matrix: short words, so a wrapped name still reads whole.
PEOPLE = [
    "Ann Archer",
    "Bob Baker",
    "Cat Cole",
    "Dan Dale",
    "Eve Evans",
    "Fay Ford",
    "Gus Gray",
    "Hal Hope",
    "Ivy Irwin",
]
LETTERS = ["A", "R", "C", "I", "R", "C", "I", "C", "I"]


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of whitespace made one space."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def printed(page, path) -> str:
    page.goto(path)
    return pdf_text(page.pdf(format="A4", prefer_css_page_size=True))


@pytest.fixture
def printable():
    user = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets", name="Street lighting")
    people = [make_stakeholder(project, name=name, position=i) for i, name in enumerate(PEOPLE)]
    for row in range(3):
        activity = make_activity(project, name=f"Step {row + 1} of the buying", position=row)
        for person, letters in zip(people, LETTERS, strict=True):
            make_assignment(activity, person, letters)
    return project


def test_printing_session_1_prints_every_line_of_a_15_line_answer(page, printable):
    lines = [f"Need number {n} is written on line {n}." for n in range(1, 16)]
    Session.objects.create(project=printable, number=1, needs="\n".join(lines))
    log_in(page, "bea")
    text = printed(page, "/projects/streets/sessions/1/")
    for line in lines:
        assert line in text
    # The copy follows typing: what is in the field when printing is what prints.
    page.get_by_role("textbox", name="Current situation").fill("Typed just before printing\nand its second line")
    text = pdf_text(page.pdf(format="A4"))
    assert "Typed just before printing and its second line" in text


def test_printing_the_raci_matrix_prints_all_nine_people(page, printable):
    log_in(page, "bea")
    for path in ["/projects/streets/raci/", "/projects/streets/raci/print/", "/projects/streets/sessions/3/"]:
        text = printed(page, path)
        for name in PEOPLE:
            assert name in text, (path, name)
        for row in range(1, 4):
            assert f"Step {row} of the buying" in text
        # Every column's letters print: each row reads A R C I R C I C I, none cut off.
        assert text.count(" ".join(LETTERS)) >= 3, (path, text)


def test_the_printable_view_of_twenty_people_prints_landscape_with_no_blank_page_and_every_column(page):
    user = make_user("bea")
    project = make_project(members={user: Membership.Role.BUYER}, slug="wide")
    people = [make_stakeholder(project, name=f"Person Surname{i}", position=i) for i in range(20)]
    for row in range(4):
        activity = make_activity(project, name=f"Activity {row}", position=row)
        for person in people:
            make_assignment(activity, person, "ARCI")
    log_in(page, "bea")
    page.goto("/projects/wide/raci/print/")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    reader = PdfReader(BytesIO(pdf))
    for number, pdf_page in enumerate(reader.pages, start=1):
        assert float(pdf_page.mediabox.width) > float(pdf_page.mediabox.height), f"page {number} is not landscape"
        assert pdf_page.extract_text().strip(), f"page {number} is blank"
    text = pdf_text(pdf)
    for person in people:
        assert f"{person.name} " in text  # the names run up their columns, whole
    for row in range(4):
        assert f"Activity {row} " + " ".join(["ARCI"] * 20) in text
