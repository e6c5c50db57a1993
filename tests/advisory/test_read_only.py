"""The advisory team only reads in Django admin, and issued reports, sign-offs and history
stay as they are for superusers too. Every registered model and every admin URL pattern is
walked (tests/advisory/walk.py), GET and POST, and the database is compared row by row."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alignment import tailoring
from alignment.models import Minutes, Session, SignOff, TopicAgreement
from alignment.template_seed import SEED
from alignment.templates_data import TemplateTailoring, TemplateTopic, TemplateVersion, WorkshopTemplate
from projects.advisory.models import AdvisoryReview, HelpRequest, ReviewEntry
from projects.models import Project
from projects.reports.models import HighlightReport
from tests.advisory.conftest import make_report
from tests.advisory.walk import action_posts, dump, every_url, form_data
from tests.factories import make_advisor, make_issue, make_project, make_stakeholder, make_user

pytestmark = pytest.mark.django_db

# Kinds of URL whose POST writes when it is let through.
WRITES = {"add", "change", "delete", "history version", "password"}


@pytest.fixture
def demo(db):
    call_command("load_demo")
    project = Project.objects.get(slug="bucks-procurement")
    assert HighlightReport.objects.filter(project=project, issued_at__isnull=False).exists()
    # What the demo has none of, so every registered model and case is walked with real ids:
    # a draft report, a deleted stakeholder (its history is still there), a task result, an
    # issue (the seed logs none). On another project: a stakeholder change would clear the
    # demo's sign-offs.
    other = make_project(name="Another project")
    make_report(other, number=1)
    make_issue(other, title="Wrong sensors delivered")
    make_stakeholder(other, name="Gone but remembered").delete()
    asker = make_user("asker")
    HelpRequest.objects.create(project=other, requested_by=asker, what_for="Lead session 1")
    ReviewEntry.objects.create(project=other, reviewer=asker, reviewed_on=timezone.localdate(), looked_at="Plan")
    # A project's tailoring, and a draft of the next session 1 template (the last version walked).
    TemplateTailoring.objects.create(
        project=other, session_number=1, topic_key="concerns", prompt="Worries?", by=asker, name="Session 1: Concerns"
    )
    tailoring.start_draft(template=WorkshopTemplate.objects.get(number=1), by=asker)
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="projects.tasks.nothing",
        backend_name="default",
        run_after=timezone.now() + timedelta(days=1),
        exception_class_path="",
        traceback="",
    )
    return project


@pytest.fixture
def superuser(demo):
    root = make_user("root", is_staff=True, is_superuser=True)
    make_user("someone-else")  # the last user walked: the superuser's own edit would log it out
    return root


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def walk(client, shown, superuser):
    """GET then POST every admin URL and action as `client`; each POST carries the form the
    superuser is shown on that page (`shown`, logged in before any baseline is taken: a log-in
    writes last_login). [(model, kind, url, GET status, POST status)]"""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    urls = every_url()
    # Deletions after everything else, so the superuser's walk changes before it deletes;
    # the site's own URLs (log-out last) at the very end. Sign-offs first in each part: an
    # edit of what a session agreed on clears them (the app's rule).
    ordered = sorted(urls, key=lambda u: (u[0] is None, u[1] == "delete", u[0] is not SignOff))
    changes = {model: url for model, kind, url in urls if kind == "change"}
    results = []

    def post(model, kind, url, data):
        got = client.get(url)
        assert got.status_code < 500, url
        results.append((model, kind, url, got.status_code, client.post(url, data).status_code))

    for model, kind, url in ordered:
        if model is None and kind == "logout":
            for model_, model_admin in admin.site._registry.items():
                for name, data in action_posts(model_, model_admin, request):
                    post(model_, f"action {name}", changes[model_].rsplit("/", 3)[0] + "/", data)
        # An add form is filled from a change form: the add page starts empty.
        page = shown.get(changes[model] if kind == "add" else url)
        is_html = page.status_code == 200 and page.get("Content-Type", "").startswith("text/html")
        post(model, kind, url, form_data(page.text) if is_html else {})
    return results


def diff(before, after):
    changed = []
    for table in before:
        rows_before, rows_after = before[table], after[table]
        changed += [
            (table, pk) for pk in rows_before.keys() | rows_after.keys() if rows_before.get(pk) != rows_after.get(pk)
        ]
    return changed


def test_the_advisory_team_changes_nothing_but_the_review_help_requests_and_template_drafts_in_admin(demo, superuser):
    advisor = make_advisor("adviser-amy")
    # Membership of the team is what counts, not what else the account was given by hand.
    advisor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "add_stakeholder",
                "change_stakeholder",
                "delete_stakeholder",
                "change_project",
                "delete_project",
                "change_session",
                "change_historicalrisk",
                "change_highlightreport",
            ]
        )
    )
    client, shown = client_for(advisor), client_for(superuser)
    before = dump(without_review=True)
    results = walk(client, shown, superuser)
    assert diff(before, dump(without_review=True)) == []
    # The walk's forms are real: the review, the one thing advisors write, was saved from them.
    review = AdvisoryReview.objects.get(project=demo)
    assert review.reviewed_by == advisor and review.advice.endswith("x")
    allowed = {(AdvisoryReview, "change"), (HelpRequest, "change"), (Project, "change")}
    # The workshop templates' drafts are the team's to improve in admin; a published version is not.
    allowed |= {(TemplateVersion, "change"), (TemplateVersion, "delete")}
    v1 = TemplateVersion.objects.latest_for(1)
    assert TemplateTopic.objects.filter(version=v1).count() == 7 and v1.title == SEED[1]["title"]
    assert not [
        r for r in results if r[0] is TemplateVersion and f"/{v1.pk}/" in r[2] and r[1] in WRITES and r[4] != 403
    ]
    let_through = [(m, k, u, p) for m, k, u, _, p in results if k in WRITES and (m, k) not in allowed and p != 403]
    assert let_through == []
    assert len(results) > 200


def test_staff_outside_the_advisory_team_change_nothing_on_any_admin_page(demo, superuser):
    staff = make_user("staff-sam", is_staff=True)
    client, shown = client_for(staff), client_for(superuser)
    before = dump()
    results = walk(client, shown, superuser)
    assert diff(before, dump()) == []
    assert [(m, k, u, p) for m, k, u, _, p in results if k in WRITES and p != 403] == []


def test_issued_reports_sign_offs_and_history_stay_as_they_are_for_superusers(demo, superuser):
    issued = HighlightReport.objects.get(project=demo, issued_at__isnull=False)
    client, shown = client_for(superuser), client_for(superuser)
    before = frozen()
    results = walk(client, shown, superuser)
    after = frozen()
    assert after["issued reports"] == before["issued reports"]
    assert before["minutes"] and after["minutes"] == before["minutes"]  # the demo's session 1 minutes
    # No sign-off is made or altered in admin. Editing what a session agreed on clears its
    # sign-offs (the app's rule, alignment/signals.py), so some may be gone.
    assert {pk: before["sign-offs"].get(pk) for pk in after["sign-offs"]} == after["sign-offs"]
    for table, rows in before["history"].items():
        # History grows (the walk's own edits are recorded), but no row changes or goes.
        assert {pk: after["history"][table].get(pk) for pk in rows} == rows, table
    refused = {(kind, url) for _, kind, url, _, posted in results if posted == 403}
    change = f"/admin/reports/highlightreport/{issued.pk}/"
    assert {("change", change + "change/"), ("delete", change + "delete/")} <= refused
    assert any(kind == "history version" and url.startswith(change) for kind, url in refused)
    assert [
        (k, u, p) for m, k, u, _, p in results if m in (SignOff, TopicAgreement, Minutes) and k in WRITES and p != 403
    ] == []
    # An old session version would bring back "agreed" without its sign-offs.
    assert {p for m, k, _, _, p in results if m is Session and k == "history version"} == {403}
    # The same walk does write wherever writing is allowed, so the tests above can fail.
    saved = {model for model, kind, _, _, posted in results if kind == "change" and posted == 302}
    ours = {m for m in admin.site._registry if m._meta.app_label in ("projects", "alignment", "raci", "risks")}
    frozen_models = {SignOff, TopicAgreement, Minutes}  # made by the app only
    # Tailoring is made on the project's page; the three templates come with the app and change
    # by new versions, whose admin page saves drafts only (the walk saved the draft).
    frozen_models |= {TemplateTailoring, WorkshopTemplate}
    assert ours - frozen_models <= saved  # every other model was really changed by the walk
    # (A review's old version carries an old `seen_version`: the form shows a conflict.)
    assert {m for m, k, _, _, p in results if k == "history version" and p == 302} >= ours - frozen_models - {
        Session,
        AdvisoryReview,
        TemplateVersion,  # an old row would undo a publication
    }


def frozen():
    """Issued reports, sign-offs and every history row, as comparable dicts."""
    rows = dump()
    return {
        "issued reports": {pk: row for pk, row in rows["reports.HighlightReport"].items() if row["issued_at"]},
        "sign-offs": rows["alignment.SignOff"],
        "minutes": rows["alignment.Minutes"],
        "history": {label: table for label, table in rows.items() if label.split(".")[1].startswith("Historical")},
    }


@pytest.mark.django_db(transaction=True)
def test_in_the_app_the_advisory_team_writes_only_tailoring_and_its_history(demo):
    """Issue 19 point 6: tailoring (with the review log, in admin) is all the team writes on a
    project. An advisor tailors the demo's sessions, and also tries the members' writes on the
    same pages (an answer, the template move, a sign-off): only the tailoring rows and their
    history differ afterwards."""
    from alignment.templates_data import TemplateTailoring

    advisor = make_advisor("adviser-amy")
    client = client_for(advisor)
    Session.objects.filter(project=demo, number=3).update(support_level="partnered")
    first = Session.objects.get(project=demo, number=1)
    v2 = tailoring.publish(
        version=tailoring.start_draft(template=WorkshopTemplate.objects.get(number=1), by=advisor),
        by=advisor,
        change_note="Same words, new number",
    )
    tailoring_tables = {TemplateTailoring._meta.label, TemplateTailoring.history.model._meta.label}
    before = dump()
    base = f"/projects/{demo.slug}/sessions"
    assert client.post(f"{base}/2/tailor/", {"topic": "risks", "prompt": "Reworded"}).status_code == 302
    assert client.post(f"{base}/2/tailor/", {"add": "1", "title": "Night access"}).status_code == 302
    assert client.post(f"{base}/1/tailor/", {"topic": "concerns", "hidden": "1"}).status_code == 302  # agreed: refused
    refused = [
        client.post(f"{base}/2/fields/notes/", {"notes": "Advisor's words", "orig-notes": ""}),
        client.post(f"{base}/2/template/", {"version": v2.pk}),
        client.post(f"{base}/2/sign/", {}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    after = dump()
    assert {table for table, pk in diff(before, after)} == tailoring_tables
    assert TemplateTailoring.objects.filter(project=demo, session_number=2).count() == 2
    assert not TemplateTailoring.objects.filter(project=demo, session_number=1).exists()
    assert first.status == Session.Status.AGREED  # the demo's session 1, which the refusal kept
