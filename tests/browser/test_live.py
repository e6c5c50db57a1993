"""Live together (issue 18 point 2), in real browsers on the live server: everyone on a session
page sees who else is there, and a change another person saved appears within 3 seconds
without a reload, except in the field you are in, which says "Changed by X" instead."""

import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import ConsoleWatcher, log_in
from tests.factories import make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
WITHIN = 3_000  # ms: the "within 3 seconds"


def people(browser, live_server, names):
    pages = []
    for name in names:
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.console = ConsoleWatcher(page)
        log_in(page, name.split()[0].lower())
        page.goto("/projects/streets/sessions/1/")
        pages.append(page)
    return pages


def team(*names):
    roles = [Membership.Role.BUYER, Membership.Role.OFFICER, Membership.Role.CONTRIBUTOR, Membership.Role.CONTRIBUTOR]
    members = {}
    for name, role in zip(names, roles, strict=False):
        first, last = name.split()
        members[make_user(first.lower(), first_name=first, last_name=last)] = role
    return make_project(members=members, slug="streets", name="Street lighting")


def test_two_people_see_each_other_and_each_others_saves(browser, live_server):
    team("Bea Buyer", "Olu Officer")
    bea, olu = people(browser, live_server, ["Bea Buyer", "Olu Officer"])
    expect(bea.locator("#live-here")).to_have_text("Here now: Olu Officer.", timeout=WITHIN)
    expect(olu.locator("#live-here")).to_have_text("Here now: Bea Buyer.", timeout=WITHIN)

    bea.locator("#id_concerns").fill("Budget may slip in March")
    expect(bea.locator("#state-concerns")).to_contain_text("Saved")
    expect(olu.locator("#id_concerns")).to_have_value("Budget may slip in March", timeout=WITHIN)

    # Olu is in the field: Bea's next save does not overwrite it, it is offered instead.
    olu.locator("#id_concerns").focus()
    bea.locator("#id_concerns").fill("Budget may slip in April")
    expect(bea.locator("#state-concerns")).to_contain_text("Saved")
    note = olu.locator("#field-concerns .live-theirs")
    expect(note).to_contain_text("Changed by Bea Buyer:", timeout=WITHIN)
    expect(olu.locator("#id_concerns")).to_have_value("Budget may slip in March")
    note.get_by_role("button", name="see theirs").click()
    expect(note).to_contain_text("Budget may slip in April")

    bea.context.close()
    expect(olu.locator("#live-here")).to_have_text("Nobody else has this session open.", timeout=15_000)
    assert olu.console.errors == []
    olu.context.close()


def test_four_people_see_the_three_others_and_one_save_reaches_all(browser, live_server):
    names = ["Bea Buyer", "Olu Officer", "Cas Contributor", "Dee Delegate"]
    team(*names)
    pages = people(browser, live_server, names)
    for page, name in zip(pages, names, strict=True):
        others = ", ".join(sorted(n for n in names if n != name))
        expect(page.locator("#live-here")).to_have_text(f"Here now: {others}.", timeout=WITHIN)
    pages[2].locator("#id_prior_experience").fill("We bought LED lanterns in 2019")
    expect(pages[2].locator("#state-prior_experience")).to_contain_text("Saved")
    for page in pages[:2] + pages[3:]:
        expect(page.locator("#id_prior_experience")).to_have_value("We bought LED lanterns in 2019", timeout=WITHIN)
    for page in pages:
        assert page.console.errors == []
        page.context.close()
