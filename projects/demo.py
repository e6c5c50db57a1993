"""Demo data: the council procurement project of seed 004 and a large project for benchmarks.

`load_demo` builds the core records here, then calls each loader that an area's demo.py
registered with `projects.registry.demo_loaders` (plan, risks, RACI, sessions, review, reports),
so every area seeds its own part.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Membership, Project, Stakeholder
from .registry import demo_loaders
from .roles import ADVISORY_GROUP

DEMO_PASSWORD = "mobilise-demo"
DEMO_USERS = [
    # username, first, last, role in the demo projects (None: advisory team)
    ("buyer", "Chris", "Furness", Membership.Role.BUYER),
    ("officer", "Priya", "Shah", Membership.Role.OFFICER),
    ("manager", "Jim", "Burness", Membership.Role.MANAGER),
    ("advisor", "Alex", "Morgan", None),
]

BUCKS_VISION = (
    "2.1 The procurement vision that is being pursued under enhanced two tier working is to obtain best value "
    "through planned and appropriate procurement in respect of goods, works and services required by the public "
    "sector authorities in Buckinghamshire for the delivery of services.\n"
    "2.2 The procurement vision leads to the following objectives:\n"
    "- The procurement process must be clear and transparent and capable of demonstrating value for money.\n"
    "- Procurement options are chosen on the degree to which they help the authorities fulfil their aims and the "
    "specific objectives of the services involved in the procurement process.\n"
    "- Procurement will take into account the issues of sustainability, and the capacity of the different "
    "organisations to manage procurement arrangements.\n"
    "2.3 Creating a more joined up approach to procurement issues for Buckinghamshire will also enable the area to "
    "engage more effectively at regional and national levels on procurement."
)


def demo_users():
    User = get_user_model()
    users = {}
    # The group's permissions are the advisory app's (kept in step at every migrate).
    advisory, _ = Group.objects.get_or_create(name=ADVISORY_GROUP)
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role is None:
                user.is_staff = True
            user.save()
            if role is None:
                user.groups.add(advisory)
        users[username] = (user, role)
    return users


def _members(project, users):
    for user, role in users.values():
        if role:
            Membership.objects.get_or_create(project=project, user=user, defaults={"role": role})


def build_bucks(users):
    project = Project.objects.create(
        name="Bucks Procurement Project",
        reference="BUCKS-PROC-2007",
        slug="bucks-procurement",
        buying_type=Project.BuyingType.COLLABORATIVE,
        stage=Project.Stage.PLAN,
        sponsor="Chris Furness",
        project_manager="Jim Burness",
        business_objective=(
            "Obtain best value through planned and appropriate procurement of the goods, works and services the "
            "public sector authorities in Buckinghamshire need to deliver their services."
        ),
        desired_outcome=(
            "A clear, transparent procurement process that demonstrates value for money, chooses options by how well "
            "they serve the authorities' aims, takes account of sustainability and capacity, and lets Buckinghamshire "
            "engage more effectively at regional and national levels."
        ),
        problem_or_opportunity=(
            "Procurement across the Buckinghamshire authorities is not joined up: contracts registers are separate, "
            "spend is not analysed together, and capacity to collaborate is limited."
        ),
        start_date=date(2007, 9, 1),
        end_date=date(2008, 4, 30),
        currency="GBP",
        budget_allocated=Decimal("50000"),
        budget_revised=Decimal("30000"),
        budget_spent=Decimal("0"),
        rag_status="amber",
        rag_reason="Progress on track; the financial requirement has been revised from £50k to £30k.",
    )
    _members(project, users)
    for position, (name, org, title, kind, interest, influence, criteria, needs) in enumerate(
        [
            (
                "Chris Furness",
                "Buckinghamshire County Council",
                "Project sponsor",
                "sponsor",
                "high",
                "high",
                "",
                "Monthly highlight report",
            ),
            (
                "Jim Burness",
                "Buckinghamshire County Council",
                "Project manager",
                "core_team",
                "high",
                "medium",
                "",
                "Weekly",
            ),
            (
                "Procurement Project Board",
                "Bucks authorities",
                "Project board",
                "approver",
                "high",
                "high",
                "Agreed terms of reference, a roadmap and a business case showing value for money",
                "Board papers before each meeting",
            ),
            (
                "Joint Improvement Board (JIB)",
                "Bucks authorities",
                "Members' board",
                "governance",
                "medium",
                "high",
                "",
                "Progress reports; member involvement through the communications plan",
            ),
            (
                "SECE",
                "South East Centre of Excellence",
                "Regional procurement advice",
                "sme",
                "medium",
                "medium",
                "",
                "As needed",
            ),
            (
                "Oxon authorities",
                "Oxfordshire councils",
                "Partner authorities",
                "other",
                "medium",
                "low",
                "",
                "Joint procurement meeting",
            ),
            (
                "District council procurement leads",
                "Bucks district councils",
                "Procurement leads",
                "core_team",
                "high",
                "medium",
                "",
                "Fortnightly",
            ),
        ],
        start=1,
    ):
        Stakeholder.objects.create(
            project=project,
            name=name,
            organisation=org,
            role_title=title,
            kind=kind,
            interest=interest,
            influence=influence,
            approval_criteria=criteria,
            communication_needs=needs,
            position=position,
        )
    return project


def build_large(users):
    project = Project.objects.create(
        name="Large demo project",
        reference="LARGE-1",
        slug="large-demo",
        stage=Project.Stage.PLAN,
        sponsor="Sam Sponsor",
        project_manager="Jim Burness",
        business_objective="Benchmark data.",
        desired_outcome="A large, realistic project.",
        problem_or_opportunity="Many records.",
        start_date=date(2026, 1, 5),
        end_date=date(2028, 12, 31),
        budget_allocated=Decimal("1200000"),
        budget_revised=Decimal("1350000"),
        budget_spent=Decimal("400000"),
        currency="GBP",
        rag_status="amber",
    )
    _members(project, users)
    kinds = list(Stakeholder.Kind.values)
    Stakeholder.objects.bulk_create(
        Stakeholder(
            project=project,
            name=f"Stakeholder {i:02d}",
            organisation=f"Organisation {i % 6}",
            role_title=f"Role {i}",
            kind=kinds[i % len(kinds)],
            approval_criteria="Value for money" if i % 5 == 0 else "",
            position=i,
        )
        for i in range(30)
    )
    return project


PORTFOLIO_SIZE = 500


def load_portfolio(users, size=PORTFOLIO_SIZE) -> int:
    """`size` small projects (`portfolio-001`...), each with the buyer and the officer as
    members and two stakeholders: a whole portfolio for the project list and
    the advisory team's admin list (issue 20 point 5). Bulk inserts: no history rows, as if
    the projects predated history. Idempotent; returns how many it added."""
    existing = set(Project.objects.filter(slug__startswith="portfolio-").values_list("slug", flat=True))
    wanted = [f"portfolio-{n:03d}" for n in range(1, size + 1) if f"portfolio-{n:03d}" not in existing]
    if not wanted:
        return 0
    stages = list(Project.Stage.values)
    projects = Project.objects.bulk_create(
        [
            Project(
                name=f"Portfolio project {slug[-3:]}",
                reference=f"PF-{slug[-3:]}",
                slug=slug,
                stage=stages[i % len(stages)],
                start_date=date(2026, 1 + i % 12, 1),
                end_date=date(2027, 1 + i % 12, 1),
            )
            for i, slug in enumerate(wanted)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(project=p, user=users["buyer"][0], role=Membership.Role.BUYER) for p in projects]
        + [Membership(project=p, user=users["officer"][0], role=Membership.Role.OFFICER) for p in projects]
    )
    Stakeholder.objects.bulk_create(
        [
            Stakeholder(project=p, name=name, kind=kind, position=n)
            for p in projects
            for n, (name, kind) in enumerate(
                [("Sponsor", Stakeholder.Kind.SPONSOR), ("Approver", Stakeholder.Kind.APPROVER)], start=1
            )
        ]
    )
    return len(projects)


@transaction.atomic
def load_demo(*, large=False, portfolio=False, stdout=None):
    """Create what is missing; leave existing demo projects as they are (idempotent)."""
    users = demo_users()
    builds = [("bucks-procurement", build_bucks, False)]
    if large:
        builds.append(("large-demo", build_large, True))
    created = []
    for slug, build, is_large in builds:
        if Project.objects.filter(slug=slug).exists():
            continue
        project = build(users)
        # Each area seeds its own part (projects.registry.demo_loaders; reports last: they
        # snapshot the rest).
        for load in demo_loaders:
            load(project, large=is_large)
        created.append(slug)
    if portfolio and load_portfolio(users):
        created.append(f"{PORTFOLIO_SIZE} portfolio projects")
    return created


def date_history(project, *, before):
    """The demo tells a 2007 story but its records are written today. Their history rows would
    say everything changed after the sessions were signed off, and the advisory team's check
    would flag them: date the project's history rows to just before `before` (the first
    sign-off; alignment's demo calls this once every area has seeded its part)."""
    from .history import tracked_models

    first = before
    for model, scope in tracked_models():
        model.history.model.objects.filter(**scope(project.pk)).update(history_date=first - timedelta(minutes=30))
