"""Who may change a project's members, and how: every rule in one place.

Only a buyer manages members. Nobody gives a role above their own, and the last buyer can
neither leave nor be demoted. Each change locks the project row first, so two buyers demoting
each other at the same moment cannot leave the project with none.
"""

from django.contrib.auth import get_user_model

from .models import Membership, Project

Role = Membership.Role

# How far a role reaches; a member may hand out roles up to their own.
RANK = {Role.VIEWER: 0, Role.CONTRIBUTOR: 1, Role.MANAGER: 2, Role.OFFICER: 2, Role.BUYER: 3}


class MemberRefused(Exception):
    pass


def _locked(project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _manager_role(project, by) -> str:
    role = project.memberships.filter(user=by).values_list("role", flat=True).first()
    if role != Role.BUYER:
        raise MemberRefused("Only a buyer can change who is on the project.")
    return role


def _check_rank(own_role, role):
    if role not in Role.values:
        raise MemberRefused("Choose one of the listed roles.")
    if RANK[role] > RANK[own_role]:
        raise MemberRefused("You cannot give a role above your own.")


def _buyers_left_without(project, membership) -> int:
    return project.memberships.filter(role=Role.BUYER).exclude(pk=membership.pk).count()


def find_account(value: str):
    User = get_user_model()
    value = value.strip()
    return User.objects.filter(username__iexact=value).first() or User.objects.filter(email__iexact=value).first()


def check_can_give(project, by, role) -> None:
    """Refuse unless `by` is a buyer of `project` and `role` is not above their own."""
    _check_rank(_manager_role(project, by), role)


def locked(project) -> Project:
    """The project row, locked for the rest of the transaction."""
    return _locked(project)


def member_add(*, project, by, username_or_email: str, role: str) -> Membership | None:
    """Add the account with that username or email; None when there is no such account (the
    caller says the same either way, so the form never tells which accounts exist)."""
    project = _locked(project)
    _check_rank(_manager_role(project, by), role)
    user = find_account(username_or_email)
    if user is None or project.memberships.filter(user=user).exists():
        return None
    return Membership.objects.create(project=project, user=user, role=role)


def member_set_role(*, project, by, membership: Membership, role: str) -> Membership:
    project = _locked(project)
    own = _manager_role(project, by)
    _check_rank(own, role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, project=project)
    if membership.role == role:
        return membership
    if membership.role == Role.BUYER and not _buyers_left_without(project, membership):
        raise MemberRefused("A project needs at least one buyer: make someone else buyer first.")
    membership.role = role
    membership.save()
    return membership


def member_remove(*, project, by, membership: Membership) -> None:
    project = _locked(project)
    _manager_role(project, by)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, project=project)
    if membership.role == Role.BUYER and not _buyers_left_without(project, membership):
        raise MemberRefused("A project needs at least one buyer: make someone else buyer first.")
    membership.delete()
