"""Issues leave the risk register for a log of their own (PRINCE2 keeps the two apart).

Every risk of kind "issue" becomes an Issue of its project, numbered I1, I2... in the order of
its old R-number, keeping its text, owner, dates and status (closed stays closed, dated by its
last change; open and occurred are open). It is then deleted from the risk register; its R
number is not reused. Both moves leave a history row that names the other reference, so the
project's history shows where each one went.

Going back (migrating below this) does not move issues back: they have no likelihood or impact
to give a risk, and going below 0003 drops the issue log anyway.
"""

from django.db import migrations
from django.db.models import GeneratedField
from django.utils import timezone

TITLE_MAX, TEXT_MAX, REASON_MAX = 200, 5000, 100
# The band thresholds a project without its own settings row scores with (the 4x4 defaults,
# frozen here as they were when this migration was written).
DEFAULT_LOW_MAX, DEFAULT_MEDIUM_MAX = 3, 6


def _cut(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _priority(score, low_max, medium_max):
    """The band of the risk's score: high or very high -> high, medium -> medium, low -> low."""
    if score > medium_max:
        return "high"
    return "medium" if score > low_max else "low"


def _description(risk):
    parts = []
    if len(risk.event) > TITLE_MAX:
        parts.append(risk.event)
    if risk.cause:
        parts.append(f"Cause: {risk.cause}")
    if risk.effect:
        parts.append(f"Effect: {risk.effect}")
    parts.append(
        f"Moved from the risk register, where it was R{risk.number} "
        f"(likelihood {risk.likelihood} × impact {risk.impact} = {risk.score})."
    )
    return _cut("\n\n".join(parts), TEXT_MAX)


def _history_row(historical_model, record, *, history_type, reason, at):
    values = {
        f.attname: getattr(record, f.attname)
        for f in historical_model._meta.concrete_fields
        if not f.name.startswith("history_") and not isinstance(f, GeneratedField)
    }
    return historical_model(
        **values,
        history_type=history_type,
        history_date=at,
        history_change_reason=_cut(reason, REASON_MAX),
        history_user=None,
    )


def move_issues(apps, schema_editor):
    Risk = apps.get_model("risks", "Risk")
    Issue = apps.get_model("risks", "Issue")
    RiskSettings = apps.get_model("risks", "RiskSettings")
    HistoricalRisk = apps.get_model("risks", "HistoricalRisk")
    HistoricalIssue = apps.get_model("risks", "HistoricalIssue")
    now = timezone.now()
    issues = list(Risk.objects.filter(kind="issue").order_by("project_id", "number"))
    last_changed = {}
    for risk_id, changed in HistoricalRisk.objects.filter(id__in=[r.pk for r in issues]).values_list(
        "id", "history_date"
    ):
        last_changed[risk_id] = max(changed, last_changed.get(risk_id, changed))
    by_project = {}
    for risk in issues:
        by_project.setdefault(risk.project_id, []).append(risk)
    for project_id, risks in by_project.items():
        settings = RiskSettings.objects.select_for_update().filter(project_id=project_id).first()
        low_max, medium_max = (
            (settings.low_max, settings.medium_max) if settings else (DEFAULT_LOW_MAX, DEFAULT_MEDIUM_MAX)
        )
        if settings is None:
            settings = RiskSettings.objects.create(project_id=project_id)
        number = settings.last_issue_number
        for risk in risks:
            number += 1
            closed = risk.status == "closed"
            closed_on = None
            if closed:
                changed = last_changed.get(risk.pk)
                closed_on = max(risk.date_raised, timezone.localdate(changed) if changed else timezone.localdate())
            issue = Issue.objects.create(
                project_id=project_id,
                number=number,
                title=_cut(risk.event, TITLE_MAX),
                description=_description(risk),
                issue_type="problem",
                priority=_priority(risk.score, low_max, medium_max),
                raised_on=risk.date_raised,
                owner_id=risk.owner_id,
                action=risk.mitigating_action,
                status="closed" if closed else "open",
                closed_on=closed_on,
            )
            _history_row(
                HistoricalIssue, issue, history_type="+", reason=f"Moved from the risk register (R{risk.number})", at=now
            ).save()
            _history_row(
                HistoricalRisk, risk, history_type="-", reason=f"Moved to the issue log as I{number}", at=now
            ).save()
            risk.delete()
        RiskSettings.objects.filter(pk=settings.pk).update(last_issue_number=number)


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0003_issue_log"),
    ]

    operations = [
        migrations.RunPython(move_issues, migrations.RunPython.noop),
    ]
