"""Facilitation mode's pages (alignment/facilitation.py): the agenda, the presenter view of one
topic, the close, the timer buttons and the timers' state for the pages' poll."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from projects import access

from . import coverage, facilitation, guidance
from .models import Session


def _session(project, number):
    if number not in guidance.TEMPLATES:
        raise Http404("No such session.")
    session = Session.objects.filter(project=project, number=number).first() or Session(project=project, number=number)
    session.project = project
    return session


def _common(request, project, session, items):
    return {
        "project": project,
        "session": session,
        "template": session.template,
        "items": items,
        "progress": facilitation.progress(items),
        "can_facilitate": access.allowed(request.user, project, "edit"),
        "can_sign": access.allowed(request.user, project, "sign"),
        "durations_note": guidance.DURATION_NOTE,
        "state_url": reverse("alignment:facilitate-state", args=[project.slug, session.number]),
    }


@access.methods("GET")
def agenda(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    session = _session(project, number)
    items = facilitation.agenda(project, number)
    return render(request, "alignment/facilitate.html", _common(request, project, session, items))


@access.methods("GET")
def present(request, slug, number, topic):
    project = access.project_for(request.user, slug, "view")
    session = _session(project, number)
    items = facilitation.agenda(project, number)
    index = next((i for i, item in enumerate(items) if item.topic == topic), None)
    if index is None:
        raise Http404("No such topic in this session.")
    section = session.template.topic(topic)
    answers = [(f.label, getattr(project if f.on == "project" else session, f.name) or "", f) for f in section.fields]
    context = _common(request, project, session, items)
    context.update(
        {
            "item": items[index],
            "section": section,
            "answers": answers,
            "previous": items[index - 1] if index > 0 else None,
            "next": items[index + 1] if index + 1 < len(items) else None,
            "presenting": True,
        }
    )
    return render(request, "alignment/present.html", context)


@access.methods("GET")
def close(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    session = _session(project, number)
    items = facilitation.agenda(project, number)
    context = _common(request, project, session, items)
    context.update(
        {
            "open_items": [i for i in items if not i.agreed],
            "missing": coverage.missing(session),
            "signed": {s.role for s in session.signoffs.all()} if session.pk else set(),
            "last": items[-1] if items else None,
            "presenting": True,
        }
    )
    return render(request, "alignment/present_close.html", context)


@access.methods("POST")
def timer(request, slug, number, topic):
    project = access.project_for(request.user, slug, "edit")
    _session(project, number)
    try:
        facilitation.set_timer(
            project=project, number=number, topic=topic, action=request.POST.get("action", ""), by=request.user
        )
    except facilitation.TimerRefused as refused:
        messages.error(request, str(refused))
    back = request.POST.get("back", "")
    if back == "present":
        return redirect("alignment:present", slug, number, topic)
    return redirect(reverse("alignment:facilitate", args=[slug, number]) + f"#agenda-{topic}")


@access.methods("GET")
def timers(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    _session(project, number)
    response = JsonResponse(facilitation.state(project, number))
    response["Cache-Control"] = "no-store"
    return response
