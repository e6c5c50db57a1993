"""Plain factory functions (no factory library): `make_<thing>(**overrides)`."""

from datetime import date
from itertools import count

from django.contrib.auth import get_user_model

from projects.advisory.permissions import sync_advisory_group
from projects.models import Membership, Project, Stakeholder
from projects.plan.models import CommunicationItem, Milestone

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


def make_communication(project, **fields):
    return CommunicationItem.objects.create(
        project=project, **{"audience_group": "Board", "purpose": "Update", **fields}
    )


def make_risk(project, **fields):
    from risks.models import Risk

    n = next(_seq)
    defaults = {"event": f"Risk event {n}", "likelihood": 2, "impact": 2, "mitigating_action": "Watch it"}
    return Risk.objects.create(project=project, **{**defaults, **fields})


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
