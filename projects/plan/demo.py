"""Demo data for the work plan: the council project's milestones and communications (seed
004) and the large benchmark project's 40 milestones."""

from datetime import UTC, date, datetime, timedelta

from projects.models import Membership
from projects.registry import demo_loaders

from .models import Baseline, BaselineEntry, CommunicationItem, Milestone


@demo_loaders.register("plan", order=5)
def load(project, *, large: bool) -> None:
    if large:
        _large(project, list(project.stakeholders.order_by("position", "id")))
        _baseline(project, datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    else:
        _bucks(project, {person.name: person for person in project.stakeholders.all()})
        _baseline(project, datetime(2007, 11, 5, 10, 0, tzinfo=UTC))


def _baseline(project, set_at):
    """Baseline 1 of the plan as the demo creates it, set by its project manager: the dates
    the demo's forecasts are measured against."""
    manager = project.memberships.filter(role=Membership.Role.MANAGER).select_related("user").first()
    baseline = Baseline.objects.create(
        project=project,
        number=1,
        name="Agreed plan",
        reason="The work plan as the Procurement Project Board agreed it.",
        set_at=set_at,
        set_by=manager.user if manager else None,
    )
    BaselineEntry.objects.bulk_create(
        BaselineEntry(baseline=baseline, milestone=m, name=m.name, start=m.baseline_start, end=m.baseline_end)
        for m in project.milestones.all()
    )


def _bucks(project, people):
    board = Milestone.objects.create(
        project=project,
        name="Procurement Project Board up and running with agreed terms of reference",
        kind=Milestone.Kind.APPROVAL,
        owner=people["Jim Burness"],
        baseline_start=date(2007, 9, 1),
        baseline_end=date(2007, 11, 30),
        forecast_end=date(2007, 11, 30),
        actual_end=date(2007, 11, 30),
        status=Milestone.Status.MET,
        position=0,
    )
    priorities = Milestone.objects.create(
        project=project,
        name="Prioritisation of 2008/09 procurement activity for Pathfinder authorities agreed by the Board",
        kind=Milestone.Kind.APPROVAL,
        owner=people["Procurement Project Board"],
        baseline_start=date(2007, 12, 1),
        baseline_end=date(2008, 3, 31),
        forecast_end=date(2008, 3, 31),
        position=1,
    )
    roadmap = Milestone.objects.create(
        project=project,
        name="Procurement roadmap and business case for investment produced",
        kind=Milestone.Kind.PRE_PROCUREMENT,
        owner=people["Jim Burness"],
        baseline_start=date(2007, 12, 1),
        baseline_end=date(2008, 4, 30),
        forecast_end=date(2008, 4, 30),
        position=2,
    )
    priorities.depends_on.add(board)
    roadmap.depends_on.add(board)
    Milestone.objects.create(
        project=project,
        name="Links with Oxon authorities through joint procurement meeting (MKOB Improvement Partnership)",
        kind=Milestone.Kind.ENGAGEMENT,
        within_project=False,
        owner=people["Oxon authorities"],
        baseline_start=date(2007, 10, 1),
        baseline_end=date(2008, 3, 31),
        forecast_end=date(2008, 3, 31),
        position=3,
    )
    comms = CommunicationItem.objects.create(
        project=project,
        audience_group="Joint Improvement Board",
        channel=CommunicationItem.Channel.REPORT,
        purpose="Progress reports; member involvement addressed as part of the communications plan.",
        frequency=CommunicationItem.Frequency.AT_MILESTONES,
        owner=people["Jim Burness"],
        next_date=date(2008, 1, 15),
    )
    comms.audience.add(people["Joint Improvement Board (JIB)"])
    CommunicationItem.objects.create(
        project=project,
        audience_group="Procurement Project Board",
        channel=CommunicationItem.Channel.MEETING,
        purpose="Highlight report and decisions needed",
        frequency=CommunicationItem.Frequency.MONTHLY,
        owner=people["Jim Burness"],
        next_date=date(2008, 1, 10),
        position=1,
    )


def _large(project, people):
    start = date(2026, 1, 5)
    milestone_kinds = list(Milestone.Kind.values)
    milestones = []
    for i in range(40):
        begin = start + timedelta(days=18 * i)
        end = begin + timedelta(days=30 + (i % 4) * 15)
        milestones.append(
            Milestone(
                project=project,
                name=f"Milestone {i + 1:02d}",
                kind=milestone_kinds[i % len(milestone_kinds)],
                within_project=i % 7 != 0,
                owner=people[i % 30],
                baseline_start=begin,
                baseline_end=end,
                forecast_end=end + timedelta(days=(i % 5) * 7),
                status=Milestone.Status.SCHEDULED,
                position=i,
            )
        )
    Milestone.objects.bulk_create(milestones)
    for i in range(12):
        item = CommunicationItem.objects.create(
            project=project,
            audience_group=f"Group {i}",
            purpose=f"Update {i}",
            owner=people[i],
            position=i,
            next_date=start + timedelta(days=30 * i),
        )
        item.audience.add(people[i], people[i + 1])
