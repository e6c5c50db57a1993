"""In a real browser: the buyer and the officer agree a session topic by topic and sign; the
minutes are frozen and downloadable; a later change re-opens one topic only, and agreeing it
again makes version 2 while version 1 stays the same file."""

import re

import pytest
from playwright.sync_api import expect

from alignment.models import Minutes, Session
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import fill_session, make_project, make_user
from tests.pdfs import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def topic(page, key):
    return page.locator(f"#topic-{key}")


def test_agree_topics_sign_download_minutes_and_re_open_one_topic(browser, live_server):
    bea = make_user("bea", first_name="Bea", last_name="Buyer")
    olu = make_user("olu", first_name="Olu", last_name="Officer")
    project = make_project(members={bea: Membership.Role.BUYER, olu: Membership.Role.OFFICER}, slug="streets")
    fill_session(Session.objects.create(project=project, number=2))
    pages = {}
    for name in ("bea", "olu"):
        context = browser.new_context(base_url=live_server.url)
        pages[name] = context.new_page()
        pages[name].set_default_timeout(10_000)
        log_in(pages[name], name)
        pages[name].goto("/projects/streets/sessions/2/")
    buyer, officer = pages["bea"], pages["olu"]

    # The buyer agrees the risks topic by its own button; the officer sees it on reload.
    topic(buyer, "risks").get_by_role("button", name=re.compile("Agree this topic as buyer")).click()
    expect(buyer.get_by_text("Agreed “Risk mitigants” as buyer.")).to_be_visible()
    expect(topic(buyer, "risks")).to_contain_text("Buyer: agreed by Bea Buyer")
    officer.reload()
    expect(topic(officer, "risks")).to_contain_text("Procurement officer: not yet")
    topic(officer, "risks").get_by_role("button", name=re.compile("Agree this topic as procurement officer")).click()
    expect(topic(officer, "risks")).to_contain_text("Topic: Risk mitigants · agreed")
    expect(officer.locator("#signoff-panel")).to_contain_text("Topics agreed by both: 1 of 4.")

    # Both sign: the rest of the topics are agreed with the sign-off, and the minutes appear.
    buyer.reload()
    buyer.get_by_role("button", name="Sign off as buyer").click()
    officer.reload()
    officer.get_by_role("button", name="Sign off as procurement officer").click()
    expect(officer.get_by_text("Session 2 is agreed by the buyer and the procurement officer.")).to_be_visible()
    link = officer.get_by_role("link", name=re.compile(r"Version 1, agreed"))
    expect(link).to_be_visible()
    first = Minutes.objects.get(session__project=project)
    with officer.expect_download() as download_info:
        officer.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; document.body.append(a); a.click(); }",
            link.get_attribute("href"),
        )
    downloaded = open(download_info.value.path(), "rb").read()
    assert downloaded == bytes(first.pdf)
    assert "Funding lands in April" in pdf_text(downloaded, squeeze=True)

    # The buyer edits the notes: that topic only re-opens, with a note, and the session is in progress.
    buyer.reload()
    buyer.get_by_role("textbox", name="Notes and actions").fill("Meet again in January.")
    expect(buyer.locator("#state-notes")).to_contain_text("This change re-opened its topic")
    officer.reload()
    expect(topic(officer, "notes")).to_contain_text("Re-opened: Notes and actions changed by Bea Buyer")
    expect(topic(officer, "risks")).to_contain_text("agreed")
    expect(officer.locator("#signoff-panel")).to_contain_text("Topics agreed by both: 3 of 4.")
    expect(officer.locator("#signoff-panel")).to_contain_text("In progress")
    topic(officer, "notes").get_by_role("button", name=re.compile("Agree this topic")).click()
    buyer.reload()
    topic(buyer, "notes").get_by_role("button", name=re.compile("Agree this topic")).click()
    expect(buyer.get_by_text("Session 2 is agreed again; new minutes were made.")).to_be_visible()
    expect(buyer.get_by_role("link", name=re.compile(r"Version 2, agreed"))).to_be_visible()
    expect(buyer.get_by_role("link", name=re.compile(r"Version 1, agreed"))).to_be_visible()
    first.refresh_from_db()
    assert bytes(first.pdf) == downloaded
    assert "Meet again in January." in pdf_text(bytes(Minutes.objects.get(number=2).pdf), squeeze=True)

    # The project's documents page lists both versions.
    buyer.get_by_role("navigation", name="Project").get_by_role("link", name="Documents").click()
    expect(buyer.locator("#minutes-table tbody tr")).to_have_count(2)
    for p in pages.values():
        p.context.close()
