"""risks 0004: every risk of kind "issue" moves into the issue log, and leaves the register."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from risks.models import Issue, Risk, RiskSettings
from tests.factories import make_issue, make_project, make_stakeholder

BEFORE = [("risks", "0003_issue_log")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_log(transactional_db):
    """The database as it was with issues as a kind of risk; put back to the latest after."""
    apps = migrate_to(BEFORE)
    try:
        yield apps
    finally:
        migrate_to(latest())


def test_issues_move_to_the_log_with_their_text_owner_dates_and_status(before_the_log):
    apps = before_the_log
    OldRisk = apps.get_model("risks", "Risk")
    OldHistoricalRisk = apps.get_model("risks", "HistoricalRisk")
    project, other = make_project(), make_project()
    dana = make_stakeholder(project, name="Dana")
    RiskSettings.objects.create(project=project, last_number=5)

    def old_risk(p, number, **fields):
        defaults = {"event": f"Event {number}", "likelihood": 2, "impact": 2, "date_raised": date(2026, 1, 5)}
        return OldRisk.objects.create(project_id=p.pk, number=number, **{**defaults, **fields})

    old_risk(project, 1, kind="risk", event="Still a risk")
    old_risk(
        project,
        2,
        kind="issue",
        event="Supplier went bust",
        cause="Thin market",
        effect="No sensors",
        likelihood=4,
        impact=4,
        mitigating_action="Re-tender",
        owner_id=dana.pk,
        status="occurred",
        date_raised=date(2026, 2, 1),
    )
    closed = old_risk(project, 4, kind="issue", event="Licence lapsed", status="closed", date_raised=date(2026, 1, 9))
    OldHistoricalRisk.objects.create(
        **{
            f.attname: getattr(closed, f.attname)
            for f in OldRisk._meta.concrete_fields
            if f.name not in ("score", "residual_score")
        },
        history_date=datetime(2026, 3, 20, 10, 0, tzinfo=UTC),
        history_type="~",
    )
    old_risk(project, 5, kind="issue", event="x" * 300, likelihood=1, impact=3)
    old_risk(other, 1, kind="issue", event="Other project's issue")

    migrate_to(latest())

    assert list(Risk.objects.filter(project=project).values_list("number", "event")) == [(1, "Still a risk")]
    assert not Risk.objects.filter(project=other).exists()
    issues = list(Issue.objects.filter(project=project).order_by("number"))
    assert [(i.reference, i.status, i.priority) for i in issues] == [
        ("I1", "open", "high"),  # occurred: still being dealt with; score 16 is in the top band
        ("I2", "closed", "medium"),  # 2 × 2 = 4: medium on the default 4x4 bands
        ("I3", "open", "low"),  # 1 × 3 = 3
    ]
    supplier, licence, long_one = issues
    assert (supplier.title, supplier.owner, supplier.raised_on, supplier.action, supplier.issue_type) == (
        "Supplier went bust",
        dana,
        date(2026, 2, 1),
        "Re-tender",
        "problem",
    )
    assert "Cause: Thin market" in supplier.description and "Effect: No sensors" in supplier.description
    assert "Moved from the risk register, where it was R2 (likelihood 4 × impact 4 = 16)." in supplier.description
    assert licence.closed_on == date(2026, 3, 20)  # its last change, when it was closed
    assert len(long_one.title) == 200 and long_one.title.endswith("…") and "x" * 300 in long_one.description
    assert Issue.objects.get(project=other).reference == "I1"

    moved = supplier.history.get()
    assert (moved.history_type, moved.history_change_reason) == ("+", "Moved from the risk register (R2)")
    gone = Risk.history.filter(id__isnull=False, number=2, project_id=project.pk).latest()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Moved to the issue log as I1")

    # Neither counter goes back: the next issue is I4 and the next risk R6.
    assert make_issue(project).reference == "I4"
    assert Risk.objects.create(project=project, event="New", likelihood=1, impact=1).reference == "R6"
