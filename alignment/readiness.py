"""Readiness: the "define the buying project outcome" milestone's success criteria (seed 000),
computed from the project's data. Each item says what is missing and links to where to fix it.

Queries stay flat however many records the project has: one for the stakeholder counts, one
for the project's plan, communication plan and session 1, a capped one for names, plus
whatever `raci.rules.readiness` needs.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse

from projects.models import Project, Stakeholder
from projects.plan.models import CommunicationItem, Milestone
from raci.rules import readiness as raci_readiness

from .models import Session


@dataclass
class Item:
    label: str
    done: bool
    missing: str
    fix_url: str | None
    fix_label: str = "Fix this"


def _url(name, project, *args, anchor=""):
    try:
        return reverse(name, args=[project.slug, *args]) + anchor
    except NoReverseMatch:
        return None


def _raci(project):
    done, message = raci_readiness(project)
    return bool(done), message


def _names(queryset, limit=3):
    names = list(queryset.values_list("name", flat=True)[: limit + 1])
    text = ", ".join(names[:limit])
    return text + (" and others" if len(names) > limit else "")


def readiness(project) -> list[Item]:
    """The checklist, in the seed's order."""
    Kind = Stakeholder.Kind
    people = project.stakeholders.aggregate(
        total=Count("id"),
        no_role=Count("id", filter=Q(role_title="")),
        approvers=Count("id", filter=Q(kind=Kind.APPROVER)),
        approvers_with_criteria=Count("id", filter=Q(kind=Kind.APPROVER) & ~Q(approval_criteria="")),
        team=Count("id", filter=Q(kind__in=[Kind.CORE_TEAM, Kind.SME, Kind.BUYER, Kind.PROCUREMENT])),
    )
    facts = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            has_milestones=Exists(Milestone.objects.filter(project=OuterRef("pk"))),
            has_communications=Exists(CommunicationItem.objects.filter(project=OuterRef("pk"))),
            session1_status=Subquery(Session.objects.filter(project=OuterRef("pk"), number=1).values("status")[:1]),
        )
        .values(
            "business_objective",
            "desired_outcome",
            "problem_or_opportunity",
            "has_milestones",
            "has_communications",
            "session1_status",
        )
        .get()
    )
    items = []

    # 1. Stakeholders and their roles in the project are identified.
    missing = []
    if not people["total"]:
        missing.append("No stakeholders yet.")
    else:
        if people["no_role"]:
            who = _names(project.stakeholders.filter(role_title=""))
            missing.append(f"{people['no_role']} without a role or title ({who}).")
        if not people["approvers"]:
            missing.append("No approver identified.")
        elif not people["approvers_with_criteria"]:
            missing.append("No approver has criteria for their support.")
    items.append(
        Item(
            "Stakeholders and their roles in the project are identified",
            not missing,
            " ".join(missing),
            _url("projects:stakeholders", project),
            "Stakeholders",
        )
    )

    # 2. RACI identified (every activity has exactly one A and at least one R).
    done, message = _raci(project)
    items.append(
        Item(
            "Responsibilities, accountabilities and consultation or information needs (RACI) are identified",
            done,
            "" if done else message,
            _url("alignment:session", project, 3, anchor="#raci"),
            "Session 3: RACI",
        )
    )

    # 3. The buying objective has been documented.
    documented = bool(facts["business_objective"].strip())
    items.append(
        Item(
            "The buying objective has been documented",
            documented,
            "" if documented else "No buying objective yet.",
            _url("alignment:session", project, 1, anchor="#field-business_objective"),
            "Session 1",
        )
    )

    # 4. There is a draft work plan and stakeholder communication plan.
    missing = []
    if not facts["has_milestones"]:
        missing.append("The work plan has no milestones yet.")
    if not facts["has_communications"]:
        missing.append("The communication plan has no items yet.")
    fix = (
        _url("alignment:session", project, 2, anchor="#milestones")
        if not facts["has_milestones"]
        else _url("plan:communications", project)
    )
    items.append(
        Item(
            "There is a draft work plan and stakeholder communication plan",
            not missing,
            " ".join(missing),
            fix,
            "Session 2: milestones" if not facts["has_milestones"] else "Communications",
        )
    )

    # 5. Buyer and procurement officer can easily explain the problem or opportunity, the
    # desired outcomes, and who the team will involve: the brief is complete and session 1 agreed.
    missing = []
    if not facts["problem_or_opportunity"].strip():
        missing.append("No problem or opportunity.")
    if not facts["desired_outcome"].strip():
        missing.append("No desired outcome.")
    if not people["team"]:
        missing.append("No core team member or subject-matter expert.")
    if not people["approvers"]:
        missing.append("No approver.")
    if facts["session1_status"] != Session.Status.AGREED:
        missing.append("Session 1 is not agreed by the buyer and the procurement officer.")
    items.append(
        Item(
            "Buyer and procurement officer can explain the problem or opportunity, the desired outcomes "
            "and who the team will involve",
            not missing,
            " ".join(missing),
            _url("alignment:brief", project),
            "The brief",
        )
    )
    return items
