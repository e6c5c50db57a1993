"""The shared inline editing pattern: a table whose rows are added, edited and deleted in place.

With htmx each action swaps one row (or the table); without JavaScript the same URLs serve
ordinary pages and redirects. Every area with a list of records (stakeholders, milestones,
communications, risks, assumptions...) uses these three functions so they behave alike.

An area supplies a template with three partials: `table` (the list with its add form),
`row` (one record) and `row-form` (one record being edited), with the record as `obj`
and the form as `form`.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import access


def back_to(request, default):
    """Where to go after a no-JavaScript post: `next` when it is a local URL (an editor
    embedded in another page, such as a session, returns there), else the list."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def inline_list(request, project, *, form_class, template, list_url, context, form_kwargs=None):
    """GET shows the page; POST adds a record (needs 'edit')."""
    form_kwargs = form_kwargs or {}
    form = form_class(project=project, **form_kwargs)
    if request.method == "POST":
        access.require(request.user, project, "edit")
        form = form_class(request.POST, project=project, **form_kwargs)
        if form.is_valid():
            obj = form.save()
            if not request.htmx:
                messages.success(request, f"Added “{obj}”.")
                return redirect(back_to(request, list_url))
            form = form_class(project=project, **form_kwargs)
    ctx = {"project": project, "form": form, "can_edit": access.allowed(request.user, project, "edit"), **context()}
    return render(request, f"{template}#table" if request.htmx else template, ctx)


def inline_edit(request, project, obj, *, form_class, template, list_url, form_kwargs=None, context=None):
    """GET gives the row as a form (or a page without htmx); POST saves with a version check."""
    access.require(request.user, project, "edit")
    form_kwargs = form_kwargs or {}
    extra = context() if context else {}
    if request.method == "POST":
        form = form_class(request.POST, instance=obj, project=project, **form_kwargs)
        if form.is_valid() and form.save_versioned():
            if request.htmx:
                return render(request, f"{template}#row", {"project": project, "obj": obj, "can_edit": True, **extra})
            messages.success(request, f"Saved “{obj}”.")
            return redirect(back_to(request, list_url))
    elif request.GET.get("cancel") and request.htmx:
        return render(request, f"{template}#row", {"project": project, "obj": obj, "can_edit": True, **extra})
    else:
        form = form_class(instance=obj, project=project, **form_kwargs)
    ctx = {"project": project, "obj": obj, "form": form, "list_url": list_url, "row_template": template, **extra}
    if request.htmx:
        return render(request, f"{template}#row-form", ctx)
    return render(request, "includes/inline_edit_page.html", ctx)


def inline_delete(request, project, obj, *, list_url, what):
    """GET asks for confirmation (the no-JavaScript path); POST deletes. History keeps the record."""
    access.require(request.user, project, "edit")
    if request.method == "POST":
        name = str(obj)
        obj.delete()
        if request.htmx:
            return HttpResponse("")
        messages.success(request, f"Deleted “{name}”.")
        return redirect(back_to(request, list_url))
    return render(
        request, "includes/confirm_delete.html", {"project": project, "obj": obj, "what": what, "list_url": list_url}
    )
