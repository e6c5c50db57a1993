"""Demo sessions: bucks-procurement's alignment drawn from seed 004 (its vision, objectives
and progress), session 1 agreed by the buyer and the officer, a few assumptions and the
sessions' actions (one of them made from a question of the log, and overdue)."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from projects.demo import date_history
from projects.models import Membership
from projects.registry import demo_loaders

from . import minutes, services
from .models import Action, Assumption, Evidence, Session, SignOff

BUCKS_SESSION_1 = {
    "strategic_drivers": (
        "Enhanced two tier working between the county and district councils (the Pathfinder programme). "
        "A more joined up approach lets Buckinghamshire engage more effectively at regional and national levels on "
        "procurement."
    ),
    "situation": (
        "Each Bucks authority buys on its own: contracts registers are kept separately and spend is not analysed "
        "together. BCC is leading a major joint procurement for the 'built environment' that may also benefit the "
        "district councils."
    ),
    "needs": (
        "A combined contracts register, a shared spend analysis, and an agreed way to prioritise procurement activity "
        "for the Pathfinder authorities."
    ),
    "opportunity": (
        "Best value through planned and appropriate procurement of goods, works and services across the authorities; "
        "contracts with other authorities in the region and the developing links with Oxon authorities."
    ),
    "progress_to_date": (
        "Project Board convened, agreed terms of reference and workplan to April 2008. Updating of the combined Bucks "
        "contracts register in progress. Spend analysis being commissioned with SECE and some Oxon authorities. Bucks "
        "authorities collaborating on the sustainable procurement initiative sponsored by SECE."
    ),
    "concerns": (
        "Authorities may be unwilling to collaborate; leadership on procurement within individual authorities; "
        "capacity to do the work. The contingency for specialist external advice is reduced from £50k to £30k."
    ),
    "prior_experience": (
        "Joint working through SECE and the MKOB Improvement Partnership; no innovation procurement as such."
    ),
    "maturity": "emerging",
    "risk_appetite": "cautious",
}

BUCKS_EVIDENCE = [
    ("Contracts registers are held separately by each authority", "Combined Bucks contracts register update"),
    ("Spend is not analysed across the authorities", "Spend analysis commissioned with SECE"),
    ("Authorities already collaborate on sustainable procurement", "SECE sustainable procurement initiative"),
]

BUCKS_ASSUMPTIONS = [
    (
        "The authorities will resource the data collection and updating work internally.",
        "validated",
        "Agreed by the authorities (financial update).",
    ),
    ("SECE will part-fund the spend analysis by an external company.", "open", ""),
    ("Will the JIB release contingency funding to bolster capacity if it is needed?", "open", ""),
]


def _users(project):
    roles = dict(project.memberships.values_list("role", "user"))
    return roles.get(Membership.Role.BUYER), roles.get(Membership.Role.OFFICER)


@demo_loaders.register("alignment", order=30)
def load(project, *, large: bool):
    if Session.objects.filter(project=project).exists():
        return  # idempotent
    people = {s.name: s for s in project.stakeholders.all()}
    buyer_id, officer_id = _users(project)
    if large:
        _load_large(project, people)
        return
    agreed = timezone.make_aware(datetime(2007, 10, 15, 16, 30))  # the afternoon of the session
    first = Session.objects.create(
        project=project,
        number=1,
        held_on=date(2007, 10, 15),
        status=Session.Status.AGREED,
        agreed_at=agreed,
        **BUCKS_SESSION_1,
    )
    first.attendees.set([p for name, p in people.items() if name in {"Chris Furness", "Jim Burness"}])
    for role, user_id in ((Membership.Role.BUYER, buyer_id), (Membership.Role.OFFICER, officer_id)):
        if user_id:
            signoff = SignOff.objects.create(project=project, session=first, user_id=user_id, role=role)
            services.agree_remaining_topics(first, role=role, by=signoff.user, at=agreed)
    SignOff.objects.filter(session=first).update(signed_at=agreed)  # signed_at is set on create
    if not (buyer_id and officer_id):
        first.status, first.agreed_at = Session.Status.IN_PROGRESS, None
        first.save()
    for i, (text, source) in enumerate(BUCKS_EVIDENCE):
        Evidence.objects.create(project=project, text=text, source=source, position=i)
    second = Session.objects.create(
        project=project,
        number=2,
        held_on=date(2007, 11, 5),
        status=Session.Status.IN_PROGRESS,
        notes="Prioritisation of 2008/09 procurement activity to go to the Procurement Project Board by March 2008.",
    )
    second.attendees.set(first.attendees.all())
    owner = people.get("Jim Burness")
    log = [
        Assumption.objects.create(
            project=project,
            text=text,
            status=status,
            answer=answer,
            owner=owner,
            due_date=date(2008, 1, 31) + timedelta(days=30 * i),
            position=i,
        )
        for i, (text, status, answer) in enumerate(BUCKS_ASSUMPTIONS)
    ]
    # Actions record follow-ups, not the agreement: session 1 stays agreed with its action.
    Action.objects.create(
        project=project,
        session=first,
        text="Circulate the agreed session 1 record to the Procurement Project Board.",
        owner=people.get("Chris Furness"),
        due_date=date(2007, 10, 22),
        status=Action.Status.DONE,
    )
    Action.objects.create(  # still open long after its due date: the one the dashboard flags
        project=project,
        session=second,
        text=log[1].text,
        owner=log[1].owner,
        due_date=log[1].due_date,
        source_assumption=log[1],
    )
    Action.objects.create(
        project=project,
        session=second,
        text="Put the prioritisation of 2008/09 procurement activity to the Procurement Project Board.",
        owner=people.get("Chris Furness"),
        due_date=date(2008, 3, 31),
        status=Action.Status.DONE,
        position=1,
    )
    Session.objects.create(project=project, number=3)


def _load_large(project, people):
    owners = list(people.values())
    Session.objects.create(
        project=project,
        number=1,
        status=Session.Status.IN_PROGRESS,
        situation="Benchmark situation.",
        maturity="developing",
        risk_appetite="open",
    )
    second = Session.objects.create(project=project, number=2, status=Session.Status.IN_PROGRESS)
    Session.objects.create(project=project, number=3)
    Action.objects.bulk_create(
        Action(
            project=project,
            session=second,
            text=f"Action {i}",
            owner=owners[i % len(owners)] if owners else None,
            due_date=date(2026, 1, 1) + timedelta(days=30 * i),
            status=["open", "done", "dropped"][i % 3],
            position=i,
        )
        for i in range(15)
    )
    Evidence.objects.bulk_create(
        Evidence(project=project, text=f"Evidence {i}", source=f"Source {i}", position=i) for i in range(10)
    )
    Assumption.objects.bulk_create(
        Assumption(
            project=project,
            text=f"Assumption {i}",
            owner=owners[i % len(owners)] if owners else None,
            status=["open", "validated", "invalidated", "answered"][i % 4],
            position=i,
        )
        for i in range(20)
    )


@demo_loaders.register("alignment-history", order=1000)
def date_the_story(project, *, large: bool):
    """After every area has seeded its part: the demo's history is dated before its first
    sign-off, so nothing reads as changed since it was agreed."""
    first = SignOff.objects.filter(project=project).order_by("signed_at").values_list("signed_at", flat=True).first()
    if first is not None:
        date_history(project, before=first)
    # The agreed session's minutes, as every agreement in the app freezes them.
    for session in Session.objects.filter(project=project, status=Session.Status.AGREED, minutes__isnull=True):
        minutes.freeze(session)
