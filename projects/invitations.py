"""Invitations by email (issue 18 point 3).

A buyer invites an email address with a role. Whether that address has an account is never
shown to the buyer: the form answers the same either way. The invited person is told by email:
- no account yet: a link, single use and expiring (INVITATION_DAYS), to choose a username and a
  password and join; only the SHA-256 of its token is stored;
- an account already: a plain "you were added" note, and they are a member at once.
An open invitation can be revoked from the members page, and inviting the same address again
replaces it. Each buyer may send INVITATIONS_PER_HOUR invitations an hour, counted in the
database so every app server sees the same count. The emails carry the project's name, the
inviter's name and the link, nothing else of the project.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mobilise import mail

from .members import check_can_give, locked
from .models import Invitation, Membership


class InvitationRefused(Exception):
    """The invitation cannot be sent or used; the message says why in words."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _name(user) -> str:
    return user.get_full_name() or user.username


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise InvitationRefused("Enter an email address such as name@example.gov.au.") from None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def invite(*, project, by, email: str, role: str) -> Invitation:
    """Invite `email` to `project` as `role`. The answer is the same whether or not the address
    has an account, or is a member already."""
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        project = locked(project)
        check_can_give(project, by, role)
        per_hour = settings.INVITATIONS_PER_HOUR
        if Invitation.objects.filter(invited_by=by, created_at__gte=now - timedelta(hours=1)).count() >= per_hour:
            raise InvitationRefused(
                f"You have sent {per_hour} invitations in the last hour: wait a while before sending more. "
                "Nothing was sent."
            )
        for old in project.invitations.filter(email__iexact=email, accepted_at=None, revoked_at=None):
            _revoke(old, by, now)
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            project=project,
            email=email,
            role=role,
            token_sha256=digest(token),
            invited_by=by,
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
        account = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
        event = "invited"
        if account is not None:
            # They have an account: no link to send, they are a member now.
            invitation.accepted_at, invitation.accepted_by = now, account
            event = "none" if project.memberships.filter(user=account).exists() else "added"
            if event == "added":
                membership = Membership(project=project, user=account, role=role)
                membership._history_user = by
                membership.save()
        invitation._history_user = by
        invitation.save()
        if event != "none":
            pk = invitation.pk
            transaction.on_commit(
                lambda: send(Invitation.objects.select_related("project", "invited_by").get(pk=pk), event, token)
            )
    return invitation


def _revoke(invitation, by, now):
    invitation.revoked_at, invitation.revoked_by = now, by
    invitation._history_user = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])


def revoke(*, project, by, invitation) -> bool:
    with transaction.atomic():
        project = locked(project)
        check_can_give(project, by, Membership.Role.VIEWER)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, project=project)
        if not invitation.is_open():
            return False
        _revoke(invitation, by, timezone.now())
    return True


def _message(invitation, event, token):
    project, inviter = invitation.project, _name(invitation.invited_by)
    role = invitation.get_role_display().lower()
    if event == "added":
        link = settings.SITE_URL + reverse("projects:detail", args=[project.slug])
        subject = f"You were added to {project.name} on Mobilise"
        body = (
            f"{inviter} added you to {project.name} on Mobilise as {role}.\n\n"
            f"Log in with your Mobilise account to open it: {link}\n"
        )
    else:
        link = settings.SITE_URL + reverse("projects:invitation", args=[token])
        subject = f"{inviter} invited you to {project.name} on Mobilise"
        body = (
            f"{inviter} invited you to join {project.name} on Mobilise as {role}.\n\n"
            f"Choose a username and a password to join: {link}\n\n"
            f"The link works once and until {timezone.localtime(invitation.expires_at):%-d %B %Y, %H:%M}. "
            "If you did not expect this email, you can ignore it.\n"
        )
    return subject, body


def send(invitation, event, token) -> bool:
    """Email the invited person now; a failure is kept on the invitation and logged, loudly."""
    subject, body = _message(invitation, event, token)
    failed = mail.send(subject, body, [invitation.email], about=f"Invitation {invitation.pk}")
    if failed:
        Invitation.objects.filter(pk=invitation.pk).update(notify_error=failed)
    return not failed


def open_invitation(token: str) -> Invitation:
    """The open invitation for `token`; 404 for an expired, used, revoked or forged one."""
    if not token or len(token) > 100:
        raise Http404
    invitation = Invitation.objects.select_related("project", "invited_by").filter(token_sha256=digest(token)).first()
    if invitation is None or not invitation.is_open():
        raise Http404
    return invitation


def accept(*, token: str, username: str, password: str, first_name: str = "", last_name: str = ""):
    """Make the account and the membership, once: the invitation is locked and re-checked."""
    User = get_user_model()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_sha256=digest(token)).first()
        if invitation is None or not invitation.is_open():
            raise Http404
        if User.objects.filter(username__iexact=username).exists():
            raise InvitationRefused("That username is taken: choose another.")
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationRefused("This email has a Mobilise account already: log in with it instead.")
        user = User.objects.create_user(
            username=username, email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
        membership = Membership(project_id=invitation.project_id, user=user, role=invitation.role)
        membership._history_user = user
        membership.save()
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation._history_user = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user, invitation
