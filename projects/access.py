"""The one access rule for every project URL.

Every project view starts with `project_for(request.user, slug, action)`. Non-members get
404 (a project's existence is not revealed); members whose role lacks the action get 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed

from .models import Membership, Project
from .roles import ADVISORY_GROUP, is_advisor  # noqa: F401  (ADVISORY_GROUP re-exported)

Role = Membership.Role
ACTIONS = {
    # "members": change who is on the project (buyers only, see projects/members.py).
    # "ask_help": ask the advisory team for help (the buying pair, seed 000).
    # "restore": fill an empty project from a project archive (its owners only).
    Role.BUYER: {"view", "edit", "sign", "manage", "members", "ask_help", "restore"},
    Role.OFFICER: {"view", "edit", "sign", "ask_help"},
    Role.MANAGER: {"view", "edit", "manage"},
    Role.CONTRIBUTOR: {"view", "edit"},
    Role.VIEWER: {"view"},
}
ADVISOR_ACTIONS = {"view"}


def project_for(user, slug, action="view") -> Project:
    """The project at `slug` if `user` may do `action` on it; 404 for non-members, 403 otherwise."""
    if not user.is_authenticated:
        raise Http404
    try:
        project = Project.objects.get(slug=slug)
    except Project.DoesNotExist:
        raise Http404 from None
    membership = project.memberships.filter(user=user).only("role", "email_my_turn").first()
    project.role = membership.role if membership else None
    project.email_my_turn = membership.email_my_turn if membership else False
    if project.role is None and not is_advisor(user):
        raise Http404
    require(user, project, action)
    return project


def allowed(user, project, action) -> bool:
    if project.role:
        return action in ACTIONS[project.role]
    return is_advisor(user) and action in ADVISOR_ACTIONS


def require(user, project, action) -> None:
    if not allowed(user, project, action):
        raise PermissionDenied(f"Your role on this project does not allow you to {action} it.")


def obj_or_404(queryset, **lookup):
    """Fetch an object of this project's; anything else (another project's id) is a 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def methods(*allowed_methods):
    """Like require_http_methods, but strangers get 404 before any 405: a wrong method
    must not reveal that a project exists.

    Every other method runs the whole view in one transaction: a write either lands whole or
    not at all, and `select_for_update` in the services below always has a transaction to
    lock in (PostgreSQL refuses it outside one). Reads stay outside, so a GET never holds a
    write lock (SQLite's transactions are IMMEDIATE)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if request.method not in allowed_methods:
                project_for(request.user, slug, "view")
                return HttpResponseNotAllowed(allowed_methods)
            if request.method in SAFE_METHODS:
                return view(request, slug, *args, **kwargs)
            with transaction.atomic():
                return view(request, slug, *args, **kwargs)

        wrapper.writes_atomically = True
        return wrapper

    return decorator
