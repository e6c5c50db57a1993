from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.views.decorators.vary import vary_on_headers

from projects import access
from projects.inline import inline_delete, inline_edit, inline_list
from projects.models import Membership

from . import actions, coverage, embeds, guidance, involve, live, services, tailoring, topics
from .brief import brief_context
from .forms import ActionForm, AssumptionForm, EvidenceForm
from .models import Action, Minutes, Session, SignOff


@dataclass
class FieldView:
    """One field as the page shows it: its value, the value it started from, and any message."""

    spec: guidance.Field
    value: str
    original: str
    result: services.FieldResult | None = None

    @property
    def name(self):
        return self.spec.name

    @property
    def max_length(self):
        return services.max_length(self.spec)


def _template(number):
    template = guidance.TEMPLATES.get(number)
    if template is None:
        raise Http404("There are three alignment sessions.")
    return template


def _field_views(project, session, template, results=None, posted=None):
    results = results or {}
    views = []
    for spec in template.fields:
        target = project if spec.on == "project" else session
        stored = services.canonical(target, spec.name)
        result = results.get(spec.name)
        value, original = stored, stored
        if result and not result.saved:
            # Keep what the person typed; after a conflict their next save overwrites deliberately.
            value = services.normalise_text(posted.get(spec.name, "")) if posted else result.value
            original = (
                result.theirs if result.conflict else (posted.get(f"orig-{spec.name}", stored) if posted else stored)
            )
        views.append(FieldView(spec, value, original, result))
    return {spec.name: view for spec, view in zip(template.fields, views)}


def _session_url(project, number):
    return reverse("alignment:session", args=[project.slug, number])


def _session_context(request, project, session, results=None, posted=None):
    template = session.template
    fields = _field_views(project, session, template, results, posted)
    next_url = _session_url(project, session.number)
    can_edit = access.allowed(request.user, project, "edit")
    context = {
        "project": project,
        "session": session,
        "template": template,
        "can_edit": can_edit,
        "next_url": next_url,
        "results": results or {},
        "durations_note": guidance.DURATION_NOTE,
        "stakeholders": list(project.stakeholders.all()),
        "can_invite": access.allowed(request.user, project, "members"),
        "attendee_ids": set(session.attendees.values_list("pk", flat=True)) if session.pk else set(),
        "held_on": session.held_on.isoformat() if session.held_on else "",
        "orig_attendees": services.canonical(session, "attendees"),
        "sessions": [(n, t.title) for n, t in guidance.TEMPLATES.items()],
        # The workshop template version, its tailoring for this project and a newer version.
        "template_newer": tailoring.newer_for(session),
        "tailored": any(s.tailoring for s in template.sections + template.hidden),
        "can_tailor": access.is_advisor(request.user) and not tailoring.refusal(project),
        **_signoff_context(request, project, session),
    }
    context["orig_held_on"] = context["held_on"]
    context["involve"] = involve.to_involve(project, context["stakeholders"])
    context["here"] = live.here(project, session.number, but=request.user)
    context["live_poll_ms"] = int(live.POLL_SECONDS * 1000)
    context["sections"] = [
        (section, [fields[f.name] for f in section.fields], context["topics"][section.key])
        for section in template.sections
    ]
    for name in services.META_FIELDS:
        result = (results or {}).get(name)
        if result and not result.saved:
            # Keep what the person chose; after a conflict their next save overwrites deliberately.
            context[f"meta_{name}"] = result
            if name == "held_on":
                context["held_on"] = posted.get("held_on", "")
            else:
                context["attendee_ids"] = {int(x) for x in posted.getlist("attendees") if x.isdigit()}
            if result.conflict:
                context[f"orig_{name}"] = result.theirs
    embeds_wanted = {section.embed for section in template.sections}
    if "evidence" in embeds_wanted:
        context["evidence"] = project.evidence.all()
        context["evidence_form"] = EvidenceForm(project=project, prefix="evidence")
    if "assumptions" in embeds_wanted:
        context["assumptions"] = project.assumptions.select_related("owner").with_action()
        context["assumption_form"] = AssumptionForm(project=project, prefix="assumptions")
    # Every session records its action items (a session nobody has written in has none yet).
    context["actions"] = session.actions.select_related("owner") if session.pk else Action.objects.none()
    context["action_form"] = ActionForm(project=project, session_number=session.number, prefix="actions")
    for kind in ("milestones", "risks", "raci"):
        if kind in embeds_wanted:
            context[f"{kind}_editor"] = embeds.render_editor(kind, request, project, next_url=next_url)
    if "support" in embeds_wanted:
        context.update(_support_context(project, session))
    return context


def _signoff_context(request, project, session):
    session.project = project  # the coverage rule reads the project's session 1 fields: no second query
    signoffs = list(session.signoffs.select_related("user")) if session.pk else []
    can_sign = access.allowed(request.user, project, "sign")
    by_role = {s.role: s for s in signoffs}
    missing = coverage.missing(session)
    topic_states = topics.states(session, missing)
    for state in topic_states:
        state.mine = next((m for m in state.marks.values() if m.user_id == request.user.id), None)
        state.role_taken = project.role in state.marks
    return {
        # What the session must still cover before it can be signed off (links to the fields).
        "missing": missing,
        # Each topic with who agreed it; the panel lists those not yet agreed by both.
        "topics": {state.topic: state for state in topic_states},
        "topics_open": [state for state in topic_states if not state.agreed],
        "topics_agreed": sum(state.agreed for state in topic_states),
        "minutes": list(session.minutes.defer(*Minutes.heavy_fields())) if session.pk else [],
        "signoffs": signoffs,
        "signoff_rows": [(label, by_role.get(role)) for role, label in SignOff.ROLES],
        "my_role_label": Membership.Role(project.role).label if project.role else "",
        "signed_roles": {s.role for s in signoffs},
        "can_sign": can_sign,
        "my_signoff": next((s for s in signoffs if s.user_id == request.user.id), None),
        "my_role_signed": any(s.role == project.role for s in signoffs),
        # When this page showed the session: a sign-off is refused if someone else changed the
        # records it shows (evidence, milestones, risks, RACI) after that.
        "opened_at": timezone.now().isoformat(),
    }


def _support_context(project, session):
    first = Session.objects.filter(project=project, number=1).first()
    maturity = guidance.level(guidance.MATURITY, first.maturity) if first else None
    appetite = guidance.level(guidance.RISK_APPETITE, first.risk_appetite) if first else None
    recommended = guidance.recommended_support(first.maturity, first.risk_appetite) if first else None
    return {
        "support_choice": session.support_level,
        "support_reason_value": session.support_reason,
        "support_orig": session.support_level,
        "support_levels": guidance.SUPPORT_LEVELS,
        "maturity": maturity,
        "appetite": appetite,
        "recommended": guidance.level(guidance.SUPPORT_LEVELS, recommended),
        "chosen": guidance.level(guidance.SUPPORT_LEVELS, session.support_level),
        # Session 1 changed after the level was chosen, and the recommendation with it.
        "recommendation_was": (
            guidance.level(guidance.SUPPORT_LEVELS, session.support_recommended)
            if session.support_level
            and session.support_recommended
            and recommended
            and recommended != session.support_recommended
            else None
        ),
    }


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def session_page(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    _template(number)
    if request.method == "GET":
        # Reading never writes, whoever reads: a session nobody has written in yet is shown
        # blank, and is created by its first save.
        session = Session.objects.filter(project=project, number=number).first() or Session(
            project=project, number=number
        )
    else:
        session = services.session_for(project, number)
    if request.method == "POST":
        access.require(request.user, project, "edit")
        results = services.save_fields(session=session, data=request.POST, by=request.user)
        failed = [r for r in results if not r.saved]
        if not failed:
            changed = sum(r.changed for r in results)
            messages.success(request, f"Saved session {number}." if changed else "Nothing had changed.")
            return redirect(_session_url(project, number))
        session.refresh_from_db()
        project.refresh_from_db()
        context = _session_context(request, project, session, {r.name: r for r in results}, posted=request.POST)
        context["failed"] = failed
        return render(request, "alignment/session.html", context)
    return render(request, "alignment/session.html", _session_context(request, project, session))


@access.methods("POST")
def session_field(request, slug, number, field):
    """Autosave one field (htmx). Without htmx it redirects back to the session page."""
    project = access.project_for(request.user, slug, "view")
    access.require(request.user, project, "edit")
    _template(number)
    if field not in services.field_names(number):
        raise Http404("No such field in this session.")
    session = services.session_for(project, number)
    data = request.POST
    original = data.get(f"orig-{field}", "")
    if data.get("overwrite"):
        original = data.get(f"theirs-{field}", "")
    result = services.save_field(session=session, name=field, data=data, original=original, by=request.user)
    if not request.htmx:
        if result.saved:
            messages.success(request, f"Saved {result.label.lower()}.")
        elif result.conflict:
            messages.error(
                request,
                f"Someone else changed {result.label.lower()} meanwhile: it now reads “{result.theirs_display}”.",
            )
        else:
            messages.error(request, result.error)
        return redirect(_session_url(project, number) + f"#field-{field}")
    session.refresh_from_db()
    context = {
        "project": project,
        "session": session,
        "result": result,
        "name": field,
        "oob": True,
        "next_url": _session_url(project, number),
    }
    if result.changed:
        context.update(_signoff_context(request, project, session))
    return render(request, "alignment/field_state.html", context)


@access.methods("POST")
def session_sign(request, slug, number):
    """Sign off (or withdraw your sign-off from) a session: buyers and procurement officers only."""
    project = access.project_for(request.user, slug, "sign")
    _template(number)
    session = services.session_for(project, number)
    url = _session_url(project, number) + "#signoff"
    if request.POST.get("withdraw"):
        if services.session_withdraw(session=session, by=request.user):
            messages.success(request, "Your sign-off was withdrawn.")
        else:
            messages.error(request, "You had not signed off this session.")
        return redirect(url)
    try:
        seen = int(request.POST.get("version", ""))
    except ValueError:
        seen = None
    if seen is None:
        messages.error(request, "Reload the session and sign off again.")
        return redirect(url)
    try:
        opened = parse_datetime(request.POST.get("opened", ""))
    except ValueError:
        opened = None
    if opened is not None and timezone.is_naive(opened):
        opened = None
    try:
        services.session_sign(session=session, by=request.user, role=project.role, seen_version=seen, opened=opened)
    except services.SignOffRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(url)
    session.refresh_from_db()
    if session.status == Session.Status.AGREED:
        messages.success(request, f"Signed off. Session {number} is agreed by the buyer and the procurement officer.")
    else:
        messages.success(request, "Signed off. The session is agreed once the other party signs off too.")
    return redirect(url)


@access.methods("POST")
def topic_agree(request, slug, number, topic):
    """Agree one topic of a session (or withdraw your agreement): buyers and procurement officers only."""
    project = access.project_for(request.user, slug, "sign")
    template = _template(number)
    if topic not in {section.key for section in template.sections}:
        raise Http404("No such topic in this session.")
    session = services.session_for(project, number)
    title = template.topic(topic).title
    url = _session_url(project, number) + f"#{template.topic(topic).anchor}"
    if request.POST.get("withdraw"):
        if topics.withdraw(session=session, topic=topic, by=request.user):
            messages.success(request, f"Your agreement to “{title}” was withdrawn.")
        else:
            messages.error(request, f"You had not agreed “{title}”.")
        return redirect(url)
    try:
        topics.agree(
            session=session, topic=topic, by=request.user, role=project.role, seen=request.POST.get("seen", "")
        )
    except topics.TopicRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(url)
    session.refresh_from_db()
    if session.status == Session.Status.AGREED:
        messages.success(request, f"Agreed “{title}”. Session {number} is agreed again; new minutes were made.")
    else:
        messages.success(request, f"Agreed “{title}” as {Membership.Role(project.role).label.lower()}.")
    return redirect(url)


@access.methods("GET")
def minutes_pdf(request, slug, number, version):
    """A frozen version of a session's minutes, byte for byte as stored when it was agreed."""
    project = access.project_for(request.user, slug, "view")
    _template(number)
    minutes = access.obj_or_404(Minutes.objects.filter(project=project, session__number=number), number=version)
    response = HttpResponse(bytes(minutes.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.slug}-session-{number}-minutes-v{version}.pdf"'
    response["X-Content-SHA256"] = minutes.pdf_sha256
    return response


@access.methods("POST")
def support_decide(request, slug):
    """Session 3: accept the recommended support level or choose another with a reason."""
    project = access.project_for(request.user, slug, "view")
    access.require(request.user, project, "edit")
    session = services.session_for(project, 3)
    level = request.POST.get("support_level", "")
    if request.POST.get("accept"):
        context = _support_context(project, session)
        level = context["recommended"].code if context["recommended"] else ""
    reason = request.POST.get("support_reason", "")
    saved, message, on = services.support_decide(
        session=session,
        level=level,
        reason=reason,
        original=request.POST.get("orig-support_level", ""),
        by=request.user,
    )
    if saved:
        messages.success(request, message)
        return redirect(_session_url(project, 3) + "#support")
    # Refused: the page again, with the person's choice and reason kept and the message next
    # to the field it is about (focused, so it is in view), not at the top of the page.
    context = _session_context(request, project, session)
    context.update(
        support_error=message,
        support_error_on=on,
        support_choice=level,
        support_reason_value=services.normalise_text(reason),
        # After a conflict the stored level is the one to replace: saving again replaces theirs.
        support_orig=session.support_level if not on else request.POST.get("orig-support_level", ""),
    )
    return render(request, "alignment/session.html", context)


# Evidence (session 1) and the assumptions and questions log (session 2) ------------------


def _inline_views(kind, form_class, template, number, related, select=(), rows=lambda items: items):
    list_name = f"alignment:{kind}"

    def context_for(project):
        def context():
            items = getattr(project, related).all()
            return {
                "items": rows(items.select_related(*select) if select else items),
                "next_url": _session_url(project, number),
            }

        return context

    @vary_on_headers("HX-Request")
    @access.methods("GET", "POST")
    def list_view(request, slug):
        project = access.project_for(request.user, slug, "view")
        return inline_list(
            request,
            project,
            form_class=form_class,
            template=template,
            list_url=reverse(list_name, args=[slug]),
            context=context_for(project),
            form_kwargs={"by": request.user, "prefix": kind},
        )

    @access.methods("GET", "POST")
    def edit_view(request, slug, pk):
        project = access.project_for(request.user, slug, "view")
        obj = access.obj_or_404(rows(getattr(project, related).all()), pk=pk)
        return inline_edit(
            request,
            project,
            obj,
            form_class=form_class,
            template=template,
            list_url=reverse(list_name, args=[slug]),
            form_kwargs={"by": request.user, "prefix": kind},
            context=lambda: {"next_url": _session_url(project, number)},
        )

    @access.methods("GET", "POST")
    def delete_view(request, slug, pk):
        project = access.project_for(request.user, slug, "view")
        obj = access.obj_or_404(getattr(project, related), pk=pk)
        if request.method == "POST":
            access.require(request.user, project, "edit")
            what = f"{obj._meta.verbose_name.capitalize()} “{obj}” deleted"
            services.content_changed(
                session=services.session_for(project, number), what=what, by=request.user, topic=kind
            )
        return inline_delete(
            request, project, obj, list_url=reverse(list_name, args=[slug]), what=obj._meta.verbose_name
        )

    return list_view, edit_view, delete_view


evidence_list, evidence_edit, evidence_delete = _inline_views(
    "evidence", EvidenceForm, "alignment/evidence.html", 1, "evidence"
)
assumption_list, assumption_edit, assumption_delete = _inline_views(
    "assumptions",
    AssumptionForm,
    "alignment/assumptions.html",
    2,
    "assumptions",
    select=("owner",),
    rows=lambda items: items.with_action(),  # each row offers "Make an action" or links to it
)


# Action items, in every session ------------------------------------------------------------
# Actions record follow-ups, not the agreement: adding, editing or deleting one never clears a
# session's sign-offs (no content_changed here), and coverage.py does not ask for any.


def _actions_url(project, number):
    return reverse("alignment:actions", args=[project.slug, number])


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def action_list(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    _template(number)

    def context():
        return {
            "items": Action.objects.filter(project=project, session__number=number).select_related("owner"),
            "number": number,
            "next_url": _session_url(project, number),
        }

    return inline_list(
        request,
        project,
        form_class=ActionForm,
        template="alignment/actions.html",
        list_url=_actions_url(project, number),
        context=context,
        form_kwargs={"session_number": number, "prefix": "actions"},
    )


@access.methods("GET", "POST")
def action_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.actions.select_related("owner", "session"), pk=pk)
    number = obj.session.number
    return inline_edit(
        request,
        project,
        obj,
        form_class=ActionForm,
        template="alignment/actions.html",
        list_url=_actions_url(project, number),
        form_kwargs={"session_number": number, "prefix": "actions"},
        context=lambda: {"next_url": _session_url(project, number), "number": number},
    )


@access.methods("GET", "POST")
def action_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.actions.select_related("session"), pk=pk)
    return inline_delete(
        request, project, obj, list_url=_actions_url(project, obj.session.number), what=obj._meta.verbose_name
    )


@access.methods("POST")
def assumption_action(request, slug, pk):
    """Session 2's log: make an open assumption or question into an action (once)."""
    project = access.project_for(request.user, slug, "view")
    access.require(request.user, project, "edit")
    assumption = access.obj_or_404(project.assumptions, pk=pk)
    try:
        made = actions.action_from_assumption(assumption=assumption)
    except actions.NotOpen as refusal:
        messages.error(request, str(refusal))
        return redirect(_session_url(project, 2) + f"#assumption-{assumption.pk}")
    anchor = f"#action-{made.action.pk}"
    if made.created:
        messages.success(request, f"Added the action “{made.action}” to session 2.")
    else:
        messages.info(
            request,
            format_html(
                '“{}” is already an action: <a href="{}">see it in the actions</a>. No second one was added.',
                assumption,
                anchor,
            ),
        )
    return redirect(_session_url(project, 2) + anchor)


# The one-page brief ----------------------------------------------------------------------


@access.methods("GET")
def brief(request, slug):
    project = access.project_for(request.user, slug, "view")
    context = {**brief_context(project), "can_share": access.allowed(request.user, project, "manage")}
    return render(request, "alignment/brief.html", context)


@access.methods("GET")
def brief_pdf(request, slug):
    from .pdf import brief_pdf as render_brief

    project = access.project_for(request.user, slug, "view")
    response = HttpResponse(render_brief(project), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.slug}-brief.pdf"'
    return response
