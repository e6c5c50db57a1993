"""A session's minutes, frozen when it is agreed: a snapshot of everything the session shows
and the PDF made from it, with the PDF's SHA-256, like an issued highlight report. They are
rendered from the snapshot alone, so later edits to the project never change them; a later
agreement of the same session adds a new version and the old one stays."""

import hashlib
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

import raci
from mobilise.pdf import html_to_pdf
from projects.plan.models import Milestone
from risks.models import Risk

from . import guidance
from .models import Minutes

SNAPSHOT_VERSION = 1


def _iso(value):
    return value.isoformat() if value else None


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def _value(target, spec) -> str:
    if spec.kind == "choice":
        level = guidance.level(spec.levels, getattr(target, spec.name))
        return f"{level.label}: {level.explanation}" if level else ""
    return getattr(target, spec.name) or ""


def _embedded(session, embed):
    project = session.project
    if embed == "evidence":
        return [{"text": e.text, "source": e.source} for e in project.evidence.all()]
    if embed == "assumptions":
        return [
            {
                "text": a.text,
                "owner": a.owner.name if a.owner else "",
                "due_date": _iso(a.due_date),
                "status": a.get_status_display(),
                "answer": a.answer,
            }
            for a in project.assumptions.select_related("owner")
        ]
    if embed == "milestones":
        return [
            {
                "name": m.name,
                "within": m.within_project,
                "owner": m.owner.name if m.owner else "",
                "baseline_start": _iso(m.baseline_start),
                "baseline_end": _iso(m.baseline_end),
                "forecast_end": _iso(m.forecast_end),
                "actual_end": _iso(m.actual_end),
                "status": m.get_status_display(),
            }
            for m in Milestone.objects.filter(project=project).select_related("owner").order_by("position", "id")
        ]
    if embed == "risks":
        return [
            {
                "reference": r.reference,
                "event": r.event,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "score": r.score,
                "residual_likelihood": r.residual_likelihood,
                "residual_impact": r.residual_impact,
                "action": r.mitigating_action,
                "owner": r.owner.name if r.owner else "",
                "status": r.get_status_display(),
            }
            for r in Risk.objects.filter(project=project).select_related("owner").order_by("-id")
        ]
    if embed == "raci":
        return raci.report_data(project)
    if embed == "support":
        level = guidance.level(guidance.SUPPORT_LEVELS, session.support_level)
        recommended = guidance.level(guidance.SUPPORT_LEVELS, session.support_recommended)
        return {
            "level": level.label if level else "",
            "explanation": level.explanation if level else "",
            "recommended": recommended.label if recommended else "",
            "reason": session.support_reason,
            "decided_by": _person(session.support_decided_by),
            "decided_at": _iso(session.support_decided_at),
        }
    raise ValueError(f"Minutes do not know the embedded section {embed!r}")


def build_snapshot(session) -> dict:
    """Everything the agreed session shows, as plain JSON."""
    project = session.project
    template = session.template
    marks = {}
    for mark in session.topic_agreements.select_related("user"):
        marks.setdefault(mark.topic, []).append(
            {"role": mark.get_role_display(), "name": _person(mark.user), "at": _iso(mark.agreed_at)}
        )
    topics = []
    for section in template.sections:
        topics.append(
            {
                "key": section.key,
                "title": section.title,
                "fields": [
                    {"label": spec.label, "value": _value(project if spec.on == "project" else session, spec)}
                    for spec in section.fields
                ],
                "embed": section.embed,
                "records": _embedded(session, section.embed) if section.embed else None,
                # A topic with no field of its own (added by tailoring): what was put to the pair.
                "prompts": list(section.prompts) if not (section.fields or section.embed) else [],
                "tailored": bool(section.tailoring),
                "agreed_by": sorted(marks.get(section.key, []), key=lambda m: m["role"]),
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        # The deployment's protective marking when it was agreed (settings.PROTECTIVE_MARKING).
        "marking": settings.PROTECTIVE_MARKING,
        "project": {"name": project.name, "reference": project.reference, "slug": project.slug},
        "session": {
            "number": session.number,
            "title": template.title,
            "duration": template.duration,
            "held_on": _iso(session.held_on),
            # The workshop template it was held with (older snapshots have neither key).
            "template_version": template.version.number,
            "tailored": any(section.tailoring for section in template.sections + template.hidden),
        },
        "attendees": [
            {"name": s.name, "role_title": s.role_title, "organisation": s.organisation}
            for s in session.attendees.all()
        ],
        "topics": topics,
        # Follow-ups recorded in the session, open or not; "overdue" as on the day it was agreed.
        "actions": [
            {
                "text": a.text,
                "owner": a.owner.name if a.owner else "",
                "due_date": _iso(a.due_date),
                "status": a.get_status_display(),
                "overdue": a.is_overdue,
            }
            for a in session.actions.by_due_date().select_related("owner")
        ],
        "signoffs": [
            {"role": s.get_role_display(), "name": _person(s.user), "at": _iso(s.signed_at)}
            for s in session.signoffs.select_related("user")
        ],
        "agreed_at": _iso(session.agreed_at),
    }


def _when(value):
    return timezone.localtime(datetime.fromisoformat(value)) if value else None


def _day(value):
    return date.fromisoformat(value) if value else None


def _dated(rows, keys):
    return [{**row, **{key: _day(row.get(key)) for key in keys}} for row in rows]


def _people(rows):
    return [{**row, "at": _when(row["at"])} for row in rows]


def context(snapshot: dict, *, number: int) -> dict:
    """The minutes template's context, from the snapshot alone (ISO dates become dates)."""
    topics = []
    for topic in snapshot["topics"]:
        topic = {**topic, "agreed_by": _people(topic["agreed_by"])}
        records = topic["records"]
        if topic["embed"] == "raci":
            topic["raci"] = raci.report_context(records)
        elif topic["embed"] == "milestones":
            topic["records"] = _dated(records, ["baseline_start", "baseline_end", "forecast_end", "actual_end"])
        elif topic["embed"] == "assumptions":
            topic["records"] = _dated(records, ["due_date"])
        elif topic["embed"] == "support":
            topic["records"] = {**records, "decided_at": _when(records["decided_at"])}
        topics.append(topic)
    return {
        **snapshot,
        "session": {**snapshot["session"], "held_on": _day(snapshot["session"]["held_on"])},
        "topics": topics,
        "actions": _dated(snapshot["actions"], ["due_date"]),
        "signoffs": _people(snapshot["signoffs"]),
        "agreed_at": _when(snapshot["agreed_at"]),
        "minutes_number": number,
    }


def render(snapshot: dict, *, number: int) -> bytes:
    return html_to_pdf(render_to_string("alignment/minutes_pdf.html", context(snapshot, number=number)))


def freeze(session) -> Minutes:
    """Store a new version of the session's minutes, as it stands now (it has just been agreed)."""
    snapshot = build_snapshot(session)
    number = (session.minutes.aggregate(n=Max("number"))["n"] or 0) + 1
    pdf = render(snapshot, number=number)
    return Minutes.objects.create(
        project=session.project,
        session=session,
        number=number,
        agreed_at=session.agreed_at or timezone.now(),
        snapshot=snapshot,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
