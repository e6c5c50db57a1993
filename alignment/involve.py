"""Stakeholders to involve (issue 18 point 6). Seed 000 asks the buyer and the procurement
officer to identify the subject-matter experts for the core buying team and the approvers,
with the criteria for their support. Each session shows which of them can open the project
(a member), which have an invitation waiting, which have neither, and approvers whose
criteria are not yet written down."""

from dataclasses import dataclass

from django.utils import timezone

from projects.models import Stakeholder

KINDS = (Stakeholder.Kind.SME, Stakeholder.Kind.APPROVER)


@dataclass(frozen=True)
class Person:
    stakeholder: Stakeholder
    state: str  # "member", "invited", "not invited"
    no_criteria: bool

    @property
    def state_label(self) -> str:
        return {"member": "Member", "invited": "Invited, not yet joined", "not invited": "Not invited"}[self.state]


def to_involve(project, stakeholders) -> dict:
    """`stakeholders`: the project's stakeholders as already fetched for the page. Two queries:
    the members' accounts and the open invitations."""
    wanted = [s for s in stakeholders if s.kind in KINDS]
    if not wanted:
        return {"people": [], "not_invited": 0, "no_criteria": 0}
    members = list(project.memberships.values_list("user_id", "user__email"))
    member_ids = {pk for pk, _ in members}
    member_emails = {email.lower() for _, email in members if email}
    invited = {
        email.lower()
        for email in project.invitations.filter(
            accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).values_list("email", flat=True)
    }
    people = []
    for s in wanted:
        email = (s.email or "").lower()
        if (s.user_id and s.user_id in member_ids) or (email and email in member_emails):
            state = "member"
        elif email and email in invited:
            state = "invited"
        else:
            state = "not invited"
        no_criteria = s.kind == Stakeholder.Kind.APPROVER and not s.approval_criteria.strip()
        people.append(Person(s, state, no_criteria))
    people.sort(key=lambda p: (p.stakeholder.kind != Stakeholder.Kind.SME, p.stakeholder.position, p.stakeholder.pk))
    return {
        "people": people,
        "not_invited": sum(p.state == "not invited" for p in people),
        "no_criteria": sum(p.no_criteria for p in people),
    }
