"""axe-core on every page of the demo project: no serious or critical violations, and no
page wider than the screen, on a desktop or a phone (wide tables scroll inside their box).

The pages are found by following links from the dashboard (downloads excepted), so a page
an area adds is checked as soon as something links to it.
"""

from collections import Counter
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

DEMO_PASSWORD = "mobilise-demo"
DOWNLOADS = (".pdf", ".xlsx", ".ics", ".json", ".csv", ".zip")
SERIOUS = {"serious", "critical"}
axe = Axe()


def violations(page):
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(t for n in v['nodes'][:3] for t in n['target'])}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def overflow(page, widths=(1280, 390)):
    """The page scrolls sideways as a whole: something escapes its box."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        extra = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if extra > 1:
            problems.append(f"the page is {extra}px wider than a {width}px screen")
    page.set_viewport_size({"width": 1280, "height": 720})
    return problems


def links_on(page, prefix):
    # getAttribute, not .href: an SVG link's href is an object, not a string.
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => new URL(a.getAttribute('href'), location.href).href)"
    )
    found = set()
    for href in hrefs:
        url = urlsplit(urldefrag(href)[0])
        if url.path.startswith(prefix) and not url.path.endswith(DOWNLOADS) and "/pdf/" not in url.path:
            found.add(url.path)  # query strings (filters, next=) give the same page
    return found


def check_pages(page, start, prefix, limit=120, per_view=2):
    """Visit pages breadth-first from `start`, following links under `prefix`; axe each one.
    At most `per_view` pages of one URL pattern (one delete page stands for all of them)."""
    seen, queue, problems, visited, per = {start}, [start], {}, 0, Counter()
    while queue and visited < limit:
        url = queue.pop(0)
        try:
            view = resolve(url).view_name
        except Resolver404:
            view = url
        per[view] += 1
        if per[view] > per_view:
            continue
        response = page.goto(url)
        if response.status == 405 or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        visited += 1
        before = len(page.console.errors)
        found = violations(page) + overflow(page)
        if response.status >= 500:
            found.append(f"HTTP {response.status}")
        found += [f"console: {e}" for e in page.console.errors[before:]]
        if found:
            problems[url] = found
        for link in sorted(links_on(page, prefix) - seen):
            seen.add(link)
            queue.append(link)
    return visited, problems


def report(problems):
    return "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in problems.items())


def test_every_page_of_the_demo_project_has_no_serious_accessibility_violations(page):
    call_command("load_demo")
    log_in(page, "buyer", DEMO_PASSWORD)
    visited, problems = check_pages(page, "/projects/bucks-procurement/", "/projects/bucks-procurement/")
    for extra in ["/", "/projects/new/"]:
        page.goto(extra)
        if found := violations(page) + overflow(page):
            problems[extra] = found
    print(f"\naxe checked {visited} pages of the demo project")
    assert visited >= 10, "the walk found too few pages"
    assert not problems, "\n" + report(problems)


def test_the_log_in_page_error_pages_and_the_advisors_admin_have_no_serious_violations(page):
    call_command("load_demo")
    problems = {}
    page.goto("/accounts/login/")
    if found := violations(page):
        problems["/accounts/login/"] = found
    log_in(page, "advisor", DEMO_PASSWORD)
    page.goto("/projects/no-such-project/")
    if found := violations(page):
        problems["404 page"] = found
    visited, admin_problems = check_pages(page, "/admin/", "/admin/projects/", limit=8)
    problems.update(admin_problems)
    assert not problems, "\n" + report(problems)


def test_the_advisors_tailoring_and_template_version_pages_have_no_serious_violations(page):
    from alignment.models import Session

    call_command("load_demo")
    Session.objects.filter(project__slug="bucks-procurement", number=3).update(support_level="partnered")
    log_in(page, "advisor", DEMO_PASSWORD)
    problems = {}
    tailor = "/projects/bucks-procurement/sessions/2/tailor/"
    page.goto(tailor)
    page.locator("#tailor-risks").get_by_label("Prompt").fill("Which risks would stop the go-live?")
    page.locator("#tailor-risks").get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{tailor}")
    if found := violations(page) + overflow(page):
        problems[tailor] = found
    page.get_by_role("button", name="Propose these changes as the next version of the template").click()
    page.wait_for_url("**/templates/versions/*/")
    if found := violations(page) + overflow(page):
        problems["template version page"] = found
    page.goto("/projects/bucks-procurement/sessions/2/template/")
    if found := violations(page) + overflow(page):
        problems["session template page"] = found
    assert not problems, "\n" + report(problems)
