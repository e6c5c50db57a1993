"""Read-only share links to the brief and the agreed minutes (issue 18 point 4).

A buyer makes a link for a named person; the link is shown once (only its token's SHA-256 is
kept), opens the brief and the agreed sessions' minutes without logging in, and answers 404
once it has expired or been revoked, or for any token that was never issued. Each opening is
recorded (`ShareLinkOpening`): the one write a GET makes, on purpose, as an access log.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .models import ShareLink, ShareLinkOpening


class ShareRefused(Exception):
    """The link cannot be made; the message says why."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(*, project, by, label: str, days: int) -> tuple[ShareLink, str]:
    """A new link and its token (shown once: it is not stored)."""
    label = " ".join((label or "").split())
    if not label:
        raise ShareRefused("Say who the link is for.")
    if not 1 <= days <= ShareLink.MAX_DAYS:
        raise ShareRefused(f"A link lasts from 1 to {ShareLink.MAX_DAYS} days.")
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        project=project,
        label=label[:200],
        token_sha256=_digest(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    link._history_user = by
    link.save()
    return link, token


def revoke(*, link, by) -> bool:
    with transaction.atomic():
        locked = ShareLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at:
            return False
        locked.revoked_at, locked.revoked_by = timezone.now(), by
        locked._history_user = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return True


def open_link(token: str, what: str) -> ShareLink:
    """The live link for `token`, its opening logged; 404 for anything else."""
    if not token or len(token) > 100:
        raise Http404
    link = ShareLink.objects.select_related("project").filter(token_sha256=_digest(token)).first()
    if link is None or not link.is_live():
        raise Http404
    ShareLinkOpening.objects.create(link=link, what=what[:100])
    return link
