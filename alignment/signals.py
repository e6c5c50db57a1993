"""Session 1's objective, outcome and problem live on Project, so the project's own edit page
can change them too. A change there clears session 1's sign-offs just as it would in the session."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from projects.models import Project

SESSION_1_PROJECT_FIELDS = {
    "business_objective": "Buying objectives",
    "desired_outcome": "Desired outcome",
    "problem_or_opportunity": "Problem",
}


@receiver(pre_save, sender=Project)
def note_session_1_changes(sender, instance, update_fields=None, raw=False, **kwargs):
    # Session 1 saves with update_fields and handles its own sign-offs; new projects have none.
    if raw or instance.pk is None or update_fields is not None:
        return
    stored = Project.objects.filter(pk=instance.pk).values(*SESSION_1_PROJECT_FIELDS).first()
    if stored is None:
        return
    instance._session_1_changed = [
        label for name, label in SESSION_1_PROJECT_FIELDS.items() if (stored[name] or "") != (getattr(instance, name) or "")
    ]


@receiver(post_save, sender=Project)
def clear_session_1_sign_offs(sender, instance, created=False, raw=False, **kwargs):
    changed = getattr(instance, "_session_1_changed", None)
    instance._session_1_changed = None
    if not changed or raw:
        return
    from . import services
    from .models import Session

    session = Session.objects.filter(project=instance, number=1, signoffs__isnull=False).distinct().first()
    if session is None:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    what = " and ".join(changed) + (" (on the project's details page)")
    services.content_changed(session=session, what=what, by=user if user and user.is_authenticated else None)
