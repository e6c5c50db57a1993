"""Session 1's objective, outcome and problem live on Project, so the project's own edit page
can change them too. A change there re-opens its session 1 topic just as it would in the session."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from projects.models import Project

SESSION_1_PROJECT_FIELDS = ("business_objective", "desired_outcome", "problem_or_opportunity")


@receiver(pre_save, sender=Project)
def note_session_1_changes(sender, instance, update_fields=None, raw=False, **kwargs):
    # Session 1 saves with update_fields and handles its own sign-offs; new projects have none.
    if raw or instance.pk is None or update_fields is not None:
        return
    stored = Project.objects.filter(pk=instance.pk).values(*SESSION_1_PROJECT_FIELDS).first()
    if stored is None:
        return
    instance._session_1_changed = [
        name for name in SESSION_1_PROJECT_FIELDS if (stored[name] or "") != (getattr(instance, name) or "")
    ]


@receiver(post_save, sender=Project)
def clear_session_1_sign_offs(sender, instance, created=False, raw=False, **kwargs):
    changed = getattr(instance, "_session_1_changed", None)
    instance._session_1_changed = None
    if not changed or raw:
        return
    from . import guidance, services
    from .models import Session

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    by = user if user and user.is_authenticated else None
    for name in changed:
        topic = guidance.SESSION_1.topic_of_field(name).key
        # Only a topic someone had agreed has anything to re-open.
        session = Session.objects.filter(project=instance, number=1, topic_agreements__topic=topic).first()
        if session is not None:
            services.content_changed(
                session=session,
                what=guidance.field_spec(1, name).label + " (on the project's details page)",
                by=by,
                topic=topic,
            )


# Sessions 2 and 3 (and session 1's evidence) show records that other areas' editors save.
# A change to one after its topic was agreed re-opens that topic at the moment it is written
# (every tracked save and delete writes a history row, and simple-history signals it), so
# showing a session or the dashboard never has to write.
def _project_of(instance, path):
    if path == "project_id":
        return instance.project_id
    from raci.models import Activity

    return Activity.objects.filter(pk=instance.activity_id).values_list("project_id", flat=True).first()


@receiver(post_create_historical_record)
def clear_sign_offs_on_embedded_change(sender, instance, history_instance, **kwargs):
    from . import services
    from .models import Assumption, Evidence, Session

    if isinstance(instance, (Evidence, Assumption)):
        return  # alignment's own lists: their views re-open the topic with a note naming the record

    for number, path, what, topic in services.embedded_sources(type(instance)):
        project_id = _project_of(instance, path)
        if project_id is None:
            continue
        session = Session.objects.filter(project_id=project_id, number=number, topic_agreements__topic=topic).first()
        if session is None:
            continue
        with transaction.atomic():
            services.content_changed(
                session=session,
                what=what,
                by=history_instance.history_user,
                when=history_instance.history_date,
                topic=topic,
            )
