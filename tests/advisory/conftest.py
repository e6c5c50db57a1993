import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from alignment.models import Assumption, Evidence, Session, SignOff
from projects.advisory.models import AdvisoryReview
from projects.models import Membership
from projects.reports.models import HighlightReport
from tests import factories
from tests.factories import (
    make_advisor,
    make_baseline,
    make_communication,
    make_milestone,
    make_project,
    make_stakeholder,
    make_user,
)


def make_report(project, number=1, issued_at=None, pdf=b"%PDF-1.7 test", **fields):
    """A highlight report; issued (with PDF bytes) when `issued_at` is given."""
    data = {
        "project": project,
        "number": number,
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 1, 31),
        "report_date": date(2026, 2, 1),
        **fields,
    }
    if issued_at:
        data.update(issued_at=issued_at, pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest())
    return HighlightReport.objects.create(**data)


def populate(count, prefix="P"):
    """`count` projects with members, stakeholders, milestones, a communication, reports, a
    review and, where those areas have landed, risks, RACI and sessions: every list has rows."""
    buyer = make_user(first_name="Ada", last_name="Lovelace")
    projects = []
    for i in range(count):
        project = make_project(
            name=f"{prefix} project {i:03d}",
            reference=f"{prefix}-{i:03d}",
            members={buyer: Membership.Role.BUYER},
            project_manager="Grace Hopper",
            business_objective="Buy well",
        )
        owner = make_stakeholder(project, role_title="Lead")
        make_milestone(project, owner=owner, forecast_end=date(2026, 3, 8))
        make_baseline(project, by=buyer)
        make_communication(project, owner=owner)
        make_report(project, 1, issued_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=i % 30))
        AdvisoryReview.objects.create(project=project, status=AdvisoryReview.Status.IN_REVIEW, advice="Check the risks")
        factories.make_risk(project, owner=owner)
        factories.make_assignment(factories.make_activity(project), owner, "AR")
        session = Session.objects.create(project=project, number=1, status="agreed", agreed_at=timezone.now())
        SignOff.objects.create(project=project, session=session, user=buyer, role=Membership.Role.BUYER)
        Evidence.objects.create(project=project, text="Survey", source="2025 survey")
        Assumption.objects.create(project=project, text="Budget holds", owner=owner)
        projects.append(project)
    return projects


@pytest.fixture
def advisor(db):
    return make_advisor("adviser-amy")


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", factories.PASSWORD)


def has_model(app_label, name):
    try:
        apps.get_model(app_label, name)
        return True
    except LookupError:
        return False
