"""The RACI matrix editor: cells, rows and columns edited in place.

With htmx a cell swaps itself and, out of band, its row's and column's rule messages and
the status line; rows and columns re-render the editor. Without JavaScript every button is
an ordinary form post followed by a redirect back (to `next` when the editor is embedded in
a session page). `matrix_editor()` is the same editor as HTML for other pages to embed.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.vary import vary_on_headers

from projects import access
from projects.inline import back_to

from . import defaults, summary
from .editor import editor_context, status_line
from .forms import ActivityForm, CellForm, PersonForm
from .models import ORDER, Assignment, canonical, describe
from .rules import load, problems

# What a click does to a cell: the common states first, then round to empty again.
CYCLE = ["", "R", "A", "AR", "C", "I"]
BAD_LETTER = "Use only the letters R, A, C and I."


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _matrix_url(project):
    return reverse("raci:matrix", args=[project.slug])


def matrix_editor(request, project, next_url=None, **state) -> str:
    """The editor as HTML (the same markup as the matrix page), for embedding in other pages.

    `next_url` is carried in every form so that the no-JavaScript path returns to the
    embedding page. The editor brings its own script tag (keyboard handling)."""
    if getattr(project, "role", "unset") == "unset":  # not fetched through access.project_for
        project = access.project_for(request.user, project.slug, "view")
    context = editor_context(request, project, next_url=next_url or "", **state)
    return render_to_string("raci/matrix.html#embed", context, request=request)


def _editor_response(request, project, **state):
    context = editor_context(request, project, next_url=_next_url(request), **state)
    return render(request, "raci/matrix.html#editor", context)


def _done(request, project, message):
    """After a change to rows or columns: the fresh editor for htmx, else back where we came from."""
    if request.htmx:
        return _editor_response(request, project, opened=request.POST.get("opened", ""))
    messages.success(request, message)
    return redirect(back_to(request, _matrix_url(project)))


def _page(request, project, template, context):
    return render(
        request,
        template,
        {"project": project, "next_url": _next_url(request), "matrix_url": _matrix_url(project), **context},
    )


# The page ------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def matrix(request, slug):
    """GET shows the matrix; POST adds an activity (a row)."""
    project = access.project_for(request.user, slug, "view")
    activity_form = None
    if request.method == "POST":
        access.require(request.user, project, "edit")
        activity_form = ActivityForm(request.POST, project=project, prefix="add")
        if activity_form.is_valid():
            activity_form.instance.position = _next_position(project.raci_activities)
            activity = activity_form.save()
            return _done(request, project, f"Added the activity “{activity}”.")
    if request.htmx:
        return _editor_response(request, project, activity_form=activity_form)
    context = editor_context(request, project, next_url=_next_url(request), activity_form=activity_form)
    return render(request, "raci/matrix.html", context)


@access.methods("POST")
def add_defaults(request, slug):
    project = access.project_for(request.user, slug, "edit")
    chosen = request.POST.getlist("activity")
    added = defaults.add_defaults(project, chosen)
    if not added:
        if request.htmx:
            return _editor_response(request, project, notice="Tick at least one activity to add.")
        messages.error(request, "Tick at least one activity to add.")
        return redirect(back_to(request, _matrix_url(project)))
    return _done(request, project, f"Added {len(added)} activities. Remove any that do not apply.")


@access.methods("GET")
def printable(request, slug):
    project = access.project_for(request.user, slug, "view")
    matrix = load(project)
    found = problems(project, matrix=matrix)
    return render(
        request,
        "raci/print.html",
        {
            "project": project,
            "matrix": matrix,
            "problems": found,
            "rows": [(a, [matrix.letters(a.pk, s.pk) for s in matrix.stakeholders]) for a in matrix.activities],
            "people": summary.by_person(project, matrix=matrix),
        },
    )


# Cells ---------------------------------------------------------------------------------


def _apply(op, letters, post):
    """The cell's new letters; ValueError (with a plain message) for anything but R, A, C, I."""
    if op == "cycle":
        # A combination off the cycle (RC, ACI...) moves on from its A/R part, or from its first
        # letter, instead of being wiped by one click.
        if letters not in CYCLE:
            core = "".join(ch for ch in letters if ch in "AR")
            letters = canonical(core) if core else letters[:1]
        return CYCLE[(CYCLE.index(letters) + 1) % len(CYCLE)] if letters in CYCLE else ""
    if op == "toggle":
        letter = post.get("letter", "").strip().upper()
        if len(letter) != 1 or letter not in ORDER:
            raise ValueError(BAD_LETTER)
        return canonical(set(letters) ^ {letter})
    if op == "clear":
        return ""
    if op == "set":
        chosen = post.getlist("letters")
        if any(len(value) != 1 for value in chosen):
            raise ValueError(BAD_LETTER)
        return canonical("".join(chosen))
    raise ValueError("That change to a cell is not one Mobilise knows.")


def _save_cell(activity, person, current, new):
    """Write the cell; False when someone else created it at the same moment."""
    try:
        with transaction.atomic():
            if current is None:
                if new:
                    Assignment.objects.create(activity=activity, stakeholder=person, letters=new)
            elif not new:
                current.delete()
            else:
                current.letters = new
                current.version += 1
                current.save()
    except IntegrityError:
        return False
    return True


@access.methods("GET", "POST")
def cell(request, slug, activity_id, stakeholder_id):
    """POST changes one cell (op = cycle, toggle with a letter, clear, or set with letters).

    GET (without JavaScript) shows a small form to set any combination of letters."""
    project = access.project_for(request.user, slug, "view")
    activity = access.obj_or_404(project.raci_activities, pk=activity_id)
    person = access.obj_or_404(project.stakeholders, pk=stakeholder_id)
    access.require(request.user, project, "edit")
    if request.method == "POST":
        # The activity's row is the lock for its cells (a cell may not exist yet): two people
        # toggling letters of one cell at once are applied one after the other, each to the
        # cell as the other left it, so neither letter is lost.
        activity = project.raci_activities.select_for_update().get(pk=activity.pk)
    current = Assignment.objects.filter(activity=activity, stakeholder=person).first()
    letters = current.letters if current else ""
    if request.method == "GET":
        form = CellForm(initial={"letters": list(letters), "seen": letters})
        return _page(
            request,
            project,
            "raci/cell.html",
            {"activity": activity, "person": person, "form": form, "letters": letters},
        )
    op = request.POST.get("op", "cycle")
    seen = request.POST.get("seen")
    error, new = None, letters
    # A click or a chosen set is absolute: refuse it if the cell changed since the page showed it.
    # Toggling one letter and clearing mean the same whatever the cell holds now.
    if op in ("cycle", "set") and seen is not None and seen != letters:
        error = (
            f"Someone else changed this cell to {letters or 'empty'} while you were looking at it; "
            "your change was not made. Look again and change it if you still want to."
        )
    else:
        try:
            new = _apply(op, letters, request.POST)
        except ValueError as exc:
            error = str(exc)
    if error is None and new != letters and not _save_cell(activity, person, current, new):
        error, new = "Someone else changed this cell at the same moment; look again and retry.", letters
    where = f"{person.name} on “{activity.name}”"
    if error is None:
        message = f"{where}: now {new or 'empty'} ({describe(new)})." if new else f"{where}: cleared."
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        return redirect(back_to(request, _matrix_url(project)))
    matrix = load(project)
    found = problems(project, matrix=matrix)
    context = {
        "project": project,
        "activity": activity,
        "person": person,
        "letters": matrix.letters(activity.pk, person.pk),
        "can_edit": True,
        "cell_base": reverse("raci:matrix", args=[project.slug]) + "cells/",
        "row": {"problems": [p for p in found if p.activity_id == activity.pk]},
        "column": {"problems": [p for p in found if p.activity_id is None and p.stakeholder_id == person.pk]},
        "status": status_line(found, error or message),
        "status_is_error": bool(error),
        "oob": True,
    }
    return render(request, "raci/matrix.html#cell-update", context)


# Rows ----------------------------------------------------------------------------------


def _next_position(queryset):
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _move(queryset, obj, step):
    """Swap obj with its neighbour and number every row 0..n so gaps and ties disappear."""
    items = list(queryset.only("pk", "position"))
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    # Order is not content: no version bump, so an open rename form is not made stale.
    type(obj).objects.bulk_update(changed, ["position"])


def _edit(request, project, obj, *, form_class, prefix, what, state_key, page_title):
    """Rename a row or column: htmx gets the header cell as a form, else a page."""
    access.require(request.user, project, "edit")
    if request.method == "POST":
        form = form_class(request.POST, instance=obj, project=project, prefix=prefix)
        if form.is_valid() and form.save_versioned():
            return _done(request, project, f"Saved the {what} “{obj}”.")
        if request.htmx:
            return _editor_response(request, project, **{state_key: (obj.pk, form)})
    else:
        form = form_class(instance=obj, project=project, prefix=prefix)
        if request.htmx and not request.GET.get("cancel"):
            template = (
                "raci/matrix.html#row-head-form"
                if state_key == "editing_activity"
                else "raci/matrix.html#col-head-form"
            )
            return render(
                request,
                template,
                {
                    "project": project,
                    "obj": obj,
                    "form": form,
                    "next_url": _next_url(request),
                    "matrix_url": _matrix_url(project),
                },
            )
        if request.htmx:
            return _editor_response(request, project)
    return _page(request, project, "raci/form_page.html", {"form": form, "title": page_title, "obj": obj})


@access.methods("GET", "POST")
def activity_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    activity = access.obj_or_404(project.raci_activities, pk=pk)
    return _edit(
        request,
        project,
        activity,
        form_class=ActivityForm,
        prefix=f"a{activity.pk}",
        what="activity",
        state_key="editing_activity",
        page_title=f"Rename the activity “{activity}”",
    )


@access.methods("POST")
def activity_move(request, slug, pk):
    project = access.project_for(request.user, slug, "edit")
    activity = access.obj_or_404(project.raci_activities, pk=pk)
    _move(project.raci_activities.all(), activity, -1 if request.POST.get("direction") == "up" else 1)
    return _done(request, project, f"Moved “{activity}”.")


def _confirm(request, project, *, title, details, action, warning):
    """Ask before removing: a fragment for htmx (shown above the matrix), else a page."""
    if request.htmx and request.GET.get("cancel"):
        return HttpResponse("")
    context = {
        "project": project,
        "title": title,
        "details": details,
        "action": action,
        "warning": warning,
        "next_url": _next_url(request),
        "matrix_url": _matrix_url(project),
    }
    template = "raci/confirm.html#dialog" if request.htmx else "raci/confirm.html"
    return render(request, template, context)


@access.methods("GET", "POST")
def activity_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    activity = access.obj_or_404(project.raci_activities, pk=pk)
    access.require(request.user, project, "edit")
    if request.method == "POST":
        activity.delete()
        return _done(request, project, f"Removed the activity “{activity}”. The project's history keeps a record.")
    held = activity.assignments.select_related("stakeholder").order_by("stakeholder__position", "stakeholder_id")
    details = [f"{cell.stakeholder.name} holds {cell.letters}" for cell in held]
    return _confirm(
        request,
        project,
        title=f"Remove the activity “{activity}”?",
        details=details or ["No one holds a letter on it yet."],
        action=request.path,
        warning="Its letters are deleted with it. The project's history keeps a record.",
    )


# Columns -------------------------------------------------------------------------------


@access.methods("POST")
def person_add(request, slug):
    project = access.project_for(request.user, slug, "edit")
    form = PersonForm(request.POST, project=project, prefix="person")
    if form.is_valid():
        form.instance.position = _next_position(project.stakeholders)
        person = form.save()
        return _done(request, project, f"Added “{person}” as a column (and to the project's stakeholders).")
    if request.htmx:
        return _editor_response(request, project, person_form=form)
    context = editor_context(request, project, next_url=_next_url(request), person_form=form)
    return render(request, "raci/matrix.html", context)


@access.methods("GET", "POST")
def person_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    person = access.obj_or_404(project.stakeholders, pk=pk)
    return _edit(
        request,
        project,
        person,
        form_class=PersonForm,
        prefix=f"p{person.pk}",
        what="column",
        state_key="editing_person",
        page_title=f"Rename “{person}”",
    )


@access.methods("POST")
def person_move(request, slug, pk):
    project = access.project_for(request.user, slug, "edit")
    person = access.obj_or_404(project.stakeholders, pk=pk)
    _move(project.stakeholders.all(), person, -1 if request.POST.get("direction") == "left" else 1)
    return _done(request, project, f"Moved “{person}”.")


@access.methods("GET", "POST")
def person_remove(request, slug, pk):
    """Removing a column removes the stakeholder from the project; ask first, naming their letters."""
    project = access.project_for(request.user, slug, "view")
    person = access.obj_or_404(project.stakeholders, pk=pk)
    access.require(request.user, project, "edit")
    if request.method == "POST":
        person.delete()
        return _done(request, project, f"Removed “{person}” from the matrix and the project's stakeholders.")
    held = person.raci_assignments.select_related("activity").order_by("activity__position", "activity_id")
    details = [f"{cell.letters} ({describe(cell.letters)}) on “{cell.activity.name}”" for cell in held]
    title = f"Remove “{person}”?"
    if details:
        title = (
            f"Remove “{person}”? They still hold {len(details)} letter{'s' if len(details) != 1 else ''} in the matrix:"
        )
    return _confirm(
        request,
        project,
        title=title,
        details=details or [f"{person.name} holds no letters."],
        action=request.path,
        warning=f"This also removes {person.name} from the project's stakeholders, and their letters "
        "are deleted. The project's history keeps a record.",
    )
