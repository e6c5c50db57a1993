"""Plain factory functions (no factory library): `make_<thing>(**overrides)`."""

from datetime import date
from itertools import count

from django.contrib.auth import get_user_model

from projects.advisory.permissions import sync_advisory_group
from projects.models import Membership, Project, Stakeholder
from projects.plan.models import Baseline, BaselineEntry, CommunicationItem, Milestone

_seq = count(1)
PASSWORD = "a-long-test-password"


def make_user(username=None, **fields):
    n = next(_seq)
    username = username or f"user{n}"
    fields.setdefault("email", f"{username}@example.org")
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    return user


def make_advisor(username=None):
    user = make_user(username, is_staff=True)
    # The group as the migration makes it: a flush between transactional tests empties it.
    user.groups.add(sync_advisory_group())
    return user


def make_project(members=None, **fields):
    """A project; `members` maps users to roles."""
    n = next(_seq)
    defaults = {
        "name": f"Project {n}",
        "slug": f"project-{n}",
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31),
    }
    project = Project.objects.create(**{**defaults, **fields})
    for user, role in (members or {}).items():
        make_membership(project, user, role)
    return project


def make_membership(project, user, role=Membership.Role.BUYER):
    return Membership.objects.create(project=project, user=user, role=role)


def make_stakeholder(project, **fields):
    n = next(_seq)
    return Stakeholder.objects.create(project=project, **{"name": f"Stakeholder {n}", **fields})


def make_milestone(project, **fields):
    n = next(_seq)
    defaults = {"name": f"Milestone {n}", "baseline_start": date(2026, 2, 1), "baseline_end": date(2026, 3, 1)}
    return Milestone.objects.create(project=project, **{**defaults, **fields})


def make_baseline(project, *, by=None, name="Agreed plan", reason="Approved by the board", **fields):
    """A baseline of the milestones' baseline dates as they stand (as if set before any
    forecast moved); `baselines.baseline_set` is the service that also takes forecasts."""
    from django.utils import timezone

    number = (project.baselines.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    baseline = Baseline.objects.create(
        project=project,
        number=number,
        name=name,
        reason=reason,
        set_at=fields.pop("set_at", timezone.now()),
        set_by=by,
        **fields,
    )
    BaselineEntry.objects.bulk_create(
        BaselineEntry(baseline=baseline, milestone=m, name=m.name, start=m.baseline_start, end=m.baseline_end)
        for m in project.milestones.all()
    )
    return baseline


def make_communication(project, **fields):
    return CommunicationItem.objects.create(
        project=project, **{"audience_group": "Board", "purpose": "Update", **fields}
    )


def make_risk(project, **fields):
    from risks.models import Risk

    n = next(_seq)
    defaults = {"event": f"Risk event {n}", "likelihood": 2, "impact": 2, "mitigating_action": "Watch it"}
    review = fields.get("next_review_date")
    if review is not None and "date_raised" not in fields:
        # A review is never before the risk was raised (the database checks it).
        defaults["date_raised"] = min(review, date.today())
    return Risk.objects.create(project=project, **{**defaults, **fields})


def make_issue(project, **fields):
    from risks.models import Issue

    n = next(_seq)
    return Issue.objects.create(project=project, **{"title": f"Issue {n}", **fields})


def make_report(project, **fields):
    """A draft highlight report, numbered after the project's last one."""
    from projects.reports.models import HighlightReport

    last = project.reports.order_by("-number").first()
    defaults = {
        "number": (last.number + 1) if last else 1,
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
        "report_date": date(2026, 4, 2),
        "recommendation": "To note progress.",
        # Tests set RAGs by hand; where the data suggest otherwise, this is the manager's reason
        # (tests of the rule itself clear it).
        "rag_time_reason": "Set by the test.",
        "rag_cost_reason": "Set by the test.",
        "rag_risk_reason": "Set by the test.",
    }
    return HighlightReport.objects.create(project=project, **{**defaults, **fields})


# RACI ---------------------------------------------------------------------------------


def make_activity(project, **fields):
    from raci.models import Activity

    n = next(_seq)
    return Activity.objects.create(project=project, **{"name": f"Activity {n}", "position": n, **fields})


def make_assignment(activity, stakeholder, letters="R"):
    from raci.models import Assignment

    return Assignment.objects.create(activity=activity, stakeholder=stakeholder, letters=letters)


def make_raci(project, activities=5, people=5):
    """A full matrix: every row has one A (column 0) and one R (column 1), so it meets the rules."""
    from raci.models import Activity, Assignment

    base = next(_seq)
    stakeholders = Stakeholder.objects.bulk_create(
        Stakeholder(project=project, name=f"Person {base}-{i}", position=i) for i in range(people)
    )
    rows = Activity.objects.bulk_create(
        Activity(project=project, name=f"Activity {base}-{i}", position=i) for i in range(activities)
    )
    cells = []
    for row in rows:
        for i, person in enumerate(stakeholders):
            cells.append(Assignment(activity=row, stakeholder=person, letters="AR"[i] if i < 2 else "CI"[i % 2]))
    Assignment.objects.bulk_create(cells)
    return rows, stakeholders


# Alignment sessions --------------------------------------------------------------------


def make_action(project, session=None, **fields):
    """An open action of `session` (session 2 of the project when not given)."""
    from alignment.models import Action, Session

    if session is None:
        session, _ = Session.objects.get_or_create(project=project, number=2)
    n = next(_seq)
    return Action.objects.create(project=project, session=session, **{"text": f"Action {n}", **fields})


def fill_session(session):
    """Give an alignment session what it must cover before sign-off (alignment/coverage.py),
    writing only what is still blank or absent, so calling it twice changes nothing."""
    from alignment.models import Assumption, Evidence
    from risks.models import Risk

    project = session.project
    if session.number == 1:
        project_text = {
            "desired_outcome": "Residents report missed bins online and see them collected within two days.",
            "business_objective": "Cut repeat calls about missed collections by half.",
            "problem_or_opportunity": "Missed bin collections are reported by phone and often lost.",
        }
        blank = {name: text for name, text in project_text.items() if not getattr(project, name)}
        if blank:
            type(project).objects.filter(pk=project.pk).update(**blank)
            project.refresh_from_db()
        session_text = {
            "strategic_drivers": "The council's digital strategy.",
            "situation": "Calls go to a contact centre that logs them by hand.",
            "needs": "A simple way to report and track a missed collection.",
            "opportunity": "Reuse the council's online forms platform.",
            "progress_to_date": "A business case was approved in March.",
            "concerns": "The crews' devices are old.",
            "prior_experience": "None with innovation buying.",
            "maturity": "emerging",
            "risk_appetite": "cautious",
        }
        blank = {name: text for name, text in session_text.items() if not getattr(session, name)}
        if blank:
            type(session).objects.filter(pk=session.pk).update(**blank)
        if not Evidence.objects.filter(project=project).exists():
            Evidence.objects.create(project=project, text="38% of calls are about missed bins", source="CRM")
    elif session.number == 2:
        if not project.milestones.exists():
            make_milestone(project)
        if not Risk.objects.filter(project=project).exclude(mitigating_action="").exists():
            make_risk(project)
        if not Assumption.objects.filter(project=project).exists():
            Assumption.objects.create(project=project, text="Funding lands in April")
    elif session.number == 3:
        from raci.rules import readiness

        if not readiness(project)[0]:
            make_raci(project, activities=1, people=2)
        if not session.support_level:
            type(session).objects.filter(pk=session.pk).update(support_level="advised")
    session.refresh_from_db()
    return session
