"""Demo risks: the register of seed 004 for bucks-procurement (the seed logs no issues); 54 varied
risks and 6 issues for large-demo."""

import random
from datetime import date, timedelta

from django.utils import timezone

from projects.registry import demo_loaders

from .models import Issue, Risk, RiskSettings

# Seed 004's "Procurement Project Risk Register", verbatim: event, likelihood, impact, action.
BUCKS_RISKS = [
    (
        "Unwillingness of authorities to collaborate on procurement",
        1,
        4,
        "Issues goes to heart of Pathfinder project. Initial work must be done to establish agreement to the "
        "project, and ideally a shared vision.",
        Risk.Category.STRATEGIC,
    ),
    (
        "Lack of leadership on procurement within individual authorities",
        2,
        4,
        "Authorities must identify suitable senior officer to lead/champion procurement work",
        Risk.Category.GOVERNANCE,
    ),
    (
        "Lack of capacity to undertake work required to improve collaboration",
        3,
        3,
        "Will need to be assessed to identify where the capacity gaps are. And how best to address them. In short "
        "term MKOB project may provide some support.",
        Risk.Category.CAPACITY,
    ),
    (
        "Failure to identify resource to undertake skills/capacity analysis work",
        2,
        4,
        "Undertake discussions with SECE and MKOB about how tasks could be approached. Secure some contingency "
        "funding from JIB to bolster capacity.",
        Risk.Category.FINANCIAL,
    ),
]

LARGE_EVENTS = [
    "Supplier market shows little interest",
    "Key approver leaves the organisation",
    "Budget cut mid-year",
    "Specification not agreed in time",
    "Legal challenge from an unsuccessful bidder",
    "Data protection review delayed",
    "Incumbent contract expires before award",
    "Evaluation panel unavailable",
    "Prices rise above the estimate",
    "Integration with existing systems harder than expected",
    "Stakeholders disagree on the outcome",
    "Pilot results inconclusive",
]


@demo_loaders.register("risks", order=10)
def load(project, *, large):
    if large:
        _load_large(project)
    else:
        _load_bucks(project)


def _load_bucks(project):
    # The seed names no owners, so none are invented here.
    for event, likelihood, impact, action, category in BUCKS_RISKS:
        Risk.objects.create(
            project=project,
            event=event,
            likelihood=likelihood,
            impact=impact,
            mitigating_action=action,
            category=category,
            date_raised=date(2007, 11, 1),
            next_review_date=date(2008, 1, 10),
        )


def _load_large(project):
    # The large project scores 5x5 so benchmarks and demos exercise the bigger scale.
    RiskSettings.objects.update_or_create(
        project=project, defaults={"scale": 5, "low_max": 4, "medium_max": 9, "high_max": 14}
    )
    people = list(project.stakeholders.all())
    categories = list(Risk.Category.values)
    statuses = [Risk.Status.OPEN] * 6 + [Risk.Status.CLOSED, Risk.Status.OCCURRED]
    today = timezone.localdate()
    chance = random.Random(2026)  # fixed seed: the same "varied" register on every machine
    for n in range(60):
        if n % 10 == 9:  # every tenth line of the old demo register was an issue: now in the log
            _large_issue(project, n, people, today)
            continue
        likelihood, impact = chance.randint(1, 5), chance.randint(1, 5)
        mitigated = n % 3 != 0
        Risk.objects.create(
            project=project,
            event=f"{LARGE_EVENTS[n % len(LARGE_EVENTS)]} ({n + 1})",
            cause="Market conditions" if n % 4 == 0 else "",
            effect="Delay to award" if n % 4 == 1 else "",
            category=categories[n % len(categories)],
            likelihood=likelihood,
            impact=impact,
            residual_likelihood=max(1, likelihood - chance.randint(0, 2)) if mitigated else None,
            residual_impact=max(1, impact - chance.randint(0, 1)) if mitigated else None,
            mitigating_action=f"Mitigation plan {n + 1}: engage early, agree owners and review monthly.",
            owner=people[n % len(people)] if people and n % 7 else None,
            status=statuses[n % len(statuses)],
            date_raised=today - timedelta(days=200 - n),
            next_review_date=today + timedelta(days=(n % 9) * 10 - 30),
        )


def _large_issue(project, n, people, today):
    closed = n % 20 == 19
    Issue.objects.create(
        project=project,
        title=f"{LARGE_EVENTS[n % len(LARGE_EVENTS)]} ({n + 1})",
        description="It has happened: the board needs to decide how to respond.",
        issue_type=list(Issue.Type.values)[n % len(Issue.Type.values)],
        priority=list(Issue.Priority.values)[n % len(Issue.Priority.values)],
        raised_on=today - timedelta(days=200 - n),
        raised_by="Project manager",
        owner=people[n % len(people)] if people else None,
        action=f"Decision {n + 1}: agree the response at the next board.",
        status=Issue.Status.CLOSED if closed else Issue.Status.OPEN,
        closed_on=today - timedelta(days=10) if closed else None,
    )
