"""Help requests to the innovation procurement advisory team (issue 19 point 4).

A buyer or officer asks from the project (`ask`), or choosing Guided or Partnered support in
session 3 asks for them (`alignment.signals.support_chosen`, received below). Advisors move a
request through the admin queue (`move`). Every new request and every move emails the team's
address (ADVISORY_TEAM_EMAIL) and the requester once the change is committed. The email names
the project and the status and links to the request; it carries nothing else of the project
(the request's own text stays in Mobilise). A failed email is kept on the request
(`notify_error`), shown in the queue and on the project's help page, and logged as an error:
the request itself is never lost to a mail outage.
"""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from alignment.events import support_chosen
from mobilise import mail

from .models import HelpRequest

# Support levels that involve the advisory team (alignment.guidance.SUPPORT_LEVELS).
SUPPORT_THAT_ASKS = {"guided": "Guided", "partnered": "Partnered"}


class HelpRefused(Exception):
    """The request cannot be made or moved; the message says why in words."""


def _name(user):
    return (user.get_full_name() or user.username) if user else "Nobody"


def ask(*, project, by, what_for, needed_by=None, source=HelpRequest.Source.ASKED, today=None) -> HelpRequest:
    what_for = (what_for or "").strip()
    if not what_for:
        raise HelpRefused("Say what you need help with.")
    if len(what_for) > 2000:
        raise HelpRefused(f"Keep it to 2,000 characters (it has {len(what_for):,}). Nothing was sent.")
    if needed_by and needed_by < (today or timezone.localdate()):
        raise HelpRefused("The date it is needed by has passed: choose today or later.")
    with transaction.atomic():
        request = HelpRequest(project=project, requested_by=by, what_for=what_for, needed_by=needed_by, source=source)
        request.full_clean()
        request._history_user = by
        request.save()
        _notify_on_commit(request, "new")
    return request


def move(*, help_request, by, status, assigned_to, note) -> bool:
    """Set status, advisor and note. Returns False when nothing changed (no email)."""
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        before = (locked.status, locked.assigned_to_id, locked.note)
        locked.status, locked.assigned_to, locked.note = status, assigned_to, (note or "").strip()
        if (locked.status, locked.assigned_to_id, locked.note) == before:
            return False
        locked.version += 1
        locked._history_user = by
        locked.full_clean()
        locked.save()
        _notify_on_commit(locked, "moved")
    help_request.refresh_from_db()
    return True


def _notify_on_commit(request, event):
    pk = request.pk
    transaction.on_commit(
        lambda: notify(HelpRequest.objects.select_related("project", "requested_by").get(pk=pk), event)
    )


def _message(request, event):
    project = request.project
    status = request.get_status_display()
    queue = settings.SITE_URL + reverse("admin:advisory_helprequest_change", args=[request.pk])
    page = settings.SITE_URL + reverse("advisory:help", args=[project.slug])
    needed = f"Needed by: {request.needed_by:%-d %B %Y}.\n" if request.needed_by else ""
    advisor = f"Advisor: {_name(request.assigned_to)}.\n" if request.assigned_to_id else ""
    if event == "new":
        subject = f"Help requested for {project.name}"
        opening = (
            f"{_name(request.requested_by)} asked the innovation procurement advisory team for help with "
            f"{project.name}"
            + (" by choosing that support level in session 3" if request.source == request.Source.SUPPORT else "")
            + "."
        )
    else:
        subject = f"Help request for {project.name}: {status}"
        opening = f"The help request for {project.name} is now {status.lower()}."
    body = (
        f"{opening}\n\nStatus: {status}.\n{needed}{advisor}\n"
        f"The advisory team's queue: {queue}\nThe project's help page: {page}\n"
    )
    return subject, body


def notify(request, event):
    """Email the team and the requester now; on failure keep why on the request, loudly."""
    subject, body = _message(request, event)
    to = [settings.ADVISORY_TEAM_EMAIL]
    if request.requested_by.email:
        to.append(request.requested_by.email)
    failed = mail.send(subject, body, to, about=f"Help request {request.pk}")
    if failed:
        HelpRequest.objects.filter(pk=request.pk).update(notify_error=failed)
        return False
    HelpRequest.objects.filter(pk=request.pk).update(notified_at=timezone.now(), notify_error="")
    return True


@receiver(support_chosen, dispatch_uid="projects.advisory.help.support_chosen")
def ask_for_chosen_support(sender, *, session, level, by, **kwargs):
    """Choosing Guided or Partnered support asks the team, once while that request is open."""
    if level not in SUPPORT_THAT_ASKS:
        return
    project = session.project
    if project.help_requests.filter(source=HelpRequest.Source.SUPPORT).exclude(status="closed").exists():
        return
    ask(
        project=project,
        by=by,
        what_for=f"{SUPPORT_THAT_ASKS[level]} support was chosen in session 3: the buying team needs the "
        "advisory team to help lead the alignment sessions.",
        source=HelpRequest.Source.SUPPORT,
    )
