"""In a real browser: the brief a director is handed shows the marking, the director's facts and
approvers' criteria whole, and its PDF download carries the same, page after page."""

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_milestone, make_project, make_risk, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

CRITERIA = (
    "A costed business case, a privacy impact assessment signed by the data protection officer, and "
    "human review of every outcome the system proposes before a resident is told of it"
)


def test_the_brief_page_and_its_pdf_give_a_director_everything_whole(page):
    bea = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={bea: Membership.Role.BUYER}, slug="bins", name="Smart bins")
    make_stakeholder(project, name="Finance Board", kind="approver", approval_criteria=CRITERIA)
    make_milestone(project, name="Market engagement day")
    make_risk(project, event="Suppliers do not respond", likelihood=4, impact=4)
    log_in(page, "bea")
    page.goto("/projects/bins/brief/")
    expect(page.locator(".protective-marking")).to_have_count(2)
    expect(page.locator(".protective-marking").first).to_have_text("OFFICIAL")
    expect(page.get_by_text(CRITERIA)).to_be_visible()
    for heading in ("At a glance", "Top risks", "Constraints"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Market engagement day")
    expect(page.locator("main")).to_contain_text("Suppliers do not respond")
    with page.expect_download() as info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; document.body.append(a); a.click(); }",
            page.get_by_role("link", name="Download PDF (A4)").get_attribute("href"),
        )
    reader = PdfReader(BytesIO(open(info.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert CRITERIA in text and "Market engagement day" in text and "Suppliers do not respond" in text
    for p in reader.pages:
        assert p.extract_text().count("OFFICIAL") == 2
    assert re.search(r"Page 1 of \d", text)
