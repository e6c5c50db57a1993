"""Pages for the workshop templates: the advisory team tailors a project's session and proposes
it back as a new version (project URLs); a draft version's difference and its publishing (its
own URL, advisory team only); and the session's template page, where members see the version
they use and what a newer one would change, and move to it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from projects import access

from . import tailoring
from .models import Session
from .templates_data import TemplateVersion, resolve


def _number(number):
    if number not in (1, 2, 3):
        raise Http404("There are three alignment sessions.")
    return number


def _advisor_only(user):
    if not access.is_advisor(user):
        raise PermissionDenied("Only the innovation procurement advisory team tailors sessions.")


def _session(project, number):
    return Session.objects.filter(project=project, number=number).first() or Session(project=project, number=number)


def _tailor_url(project, number):
    return reverse("alignment:tailor", args=[project.slug, number])


@access.methods("GET", "POST")
def tailor(request, slug, number):
    """The advisory team's tailoring of one session of a Guided or Partnered project."""
    project = access.project_for(request.user, slug, "view")
    _number(number)
    _advisor_only(request.user)
    if request.method == "POST":
        try:
            if request.POST.get("add"):
                added = tailoring.add_topic(project=project, number=number, by=request.user, data=request.POST)
                messages.success(request, f"Added the topic “{added.title}” to session {number}.")
            else:
                key = request.POST.get("topic", "")
                done = tailoring.tailor_topic(
                    project=project,
                    number=number,
                    key=key,
                    by=request.user,
                    data=request.POST,
                    seen_version=request.POST.get("seen_version", ""),
                )
                messages.success(
                    request,
                    f"Tailored: {', '.join(done.what_changed())}." if done else "That topic is as the template has it.",
                )
        except tailoring.TailoringRefused as refused:
            messages.error(request, str(refused))
        return redirect(_tailor_url(project, number))
    session = _session(project, number)
    template = session.template
    plain = resolve(session, tailored=False)
    words = {t.key: t for t in template.version.topics.all()}
    rows = template.sections + template.hidden
    return render(
        request,
        "alignment/tailor.html",
        {
            "project": project,
            "session": session,
            "template": template,
            "refusal": tailoring.refusal(project),
            "agreed": session.status == Session.Status.AGREED,
            "topics": [(section, words.get(section.key), section in template.hidden) for section in rows],
            "changes": [c for c in tailoring.diff(plain, template) if c.status != "same"],
            "max_minutes": tailoring.MAX_MINUTES,
        },
    )


@access.methods("POST")
def tailor_propose(request, slug, number):
    """A draft of the next template version from this project's tailoring; then its page."""
    project = access.project_for(request.user, slug, "view")
    _number(number)
    _advisor_only(request.user)
    try:
        draft = tailoring.propose(project=project, number=number, by=request.user)
    except tailoring.TailoringRefused as refused:
        messages.error(request, str(refused))
        return redirect(_tailor_url(project, number))
    messages.success(
        request, "A draft of the next version was made from this project's tailoring. Check it, then publish it."
    )
    return redirect("templates:version", draft.pk)


@access.methods("GET", "POST")
def session_template(request, slug, number):
    """Which template version the session uses, what the latest would change, and the move."""
    project = access.project_for(request.user, slug, "view")
    _number(number)
    session = _session(project, number)
    if request.method == "POST":
        access.require(request.user, project, "edit")
        if session.pk is None:
            messages.error(
                request, f"Session {number} has not started: it will use the latest version. Nothing was changed."
            )
            return redirect("alignment:session-template", project.slug, number)
        to = TemplateVersion.objects.filter(pk=request.POST.get("version") or 0).select_related("template").first()
        if to is None:
            raise Http404("No such template version.")
        try:
            tailoring.move(session=session, to=to, by=request.user)
        except tailoring.TailoringRefused as refused:
            messages.error(request, str(refused))
            return redirect("alignment:session-template", project.slug, number)
        messages.success(request, f"Session {number} now uses version {to.number} of its template.")
        return redirect("alignment:session", project.slug, number)
    return render(
        request,
        "alignment/session_template.html",
        {
            "project": project,
            "session": session,
            "template": session.template,
            "newer": tailoring.newer_for(session),
            "can_move": access.allowed(request.user, project, "edit")
            and session.pk is not None
            and session.status != Session.Status.AGREED,
            "started": session.pk is not None,
            "versions": TemplateVersion.objects.published().filter(template__number=number).order_by("-number"),
        },
    )


@require_http_methods(["GET", "POST"])
def version_page(request, pk):
    """A draft or published version beside the one it was started from, topic by topic; a draft
    is published here. The advisory team only: others get 404."""
    if not access.is_advisor(request.user):
        raise Http404
    version = get_object_or_404(TemplateVersion.objects.select_related("template", "based_on", "proposed_from"), pk=pk)
    if request.method == "POST":
        try:
            published = tailoring.publish(
                version=version, by=request.user, change_note=request.POST.get("change_note", "")
            )
        except tailoring.TailoringRefused as refused:
            messages.error(request, str(refused))
            return redirect("templates:version", version.pk)
        messages.success(
            request, f"Published version {published.number} of the session {published.template.number} template."
        )
        return redirect("templates:version", version.pk)
    new = tailoring.draft_template(version)
    old = tailoring.draft_template(version.based_on) if version.based_on else None
    return render(
        request,
        "alignment/template_version.html",
        {
            "version": version,
            "changes": tailoring.diff(old, new) if old else [],
            "header": tailoring.header_changes(old, new) if old else [],
            "latest": version.template.latest(),
        },
    )
