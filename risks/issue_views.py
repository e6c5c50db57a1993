"""The issue log page: the shared inline editing pattern (projects.inline), like the register."""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from projects import access
from projects.inline import inline_delete, inline_edit, inline_list

from .forms import IssueForm
from .models import Issue

TEMPLATE = "risks/issues.html"


def _issues_context(project, params):
    """The log for the status filter in `params` (an unknown status shows every issue)."""
    issues = project.issues.select_related("owner").in_log_order()
    status = params.get("status", "")
    if status in Issue.Status.values:
        issues = issues.filter(status=status)
    else:
        status = ""
    log_url = reverse("risks:issues", args=[project.slug])
    return {
        "issues": issues,
        "status_filter": status,
        "statuses": Issue.Status.choices,
        # An add posted from a filtered log comes back to the same filter.
        "post_url": f"{log_url}?{urlencode({'status': status})}" if status else log_url,
    }


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def issue_log(request, slug):
    project = access.project_for(request.user, slug, "view")
    return inline_list(
        request,
        project,
        form_class=IssueForm,
        template=TEMPLATE,
        list_url=request.get_full_path(),
        context=lambda: _issues_context(project, request.GET),
    )


@access.methods("GET", "POST")
def issue_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.issues.select_related("owner"), pk=pk)
    return inline_edit(
        request, project, obj, form_class=IssueForm, template=TEMPLATE, list_url=reverse("risks:issues", args=[slug])
    )


@access.methods("GET", "POST")
def issue_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.issues, pk=pk)
    return inline_delete(request, project, obj, list_url=reverse("risks:issues", args=[slug]), what="issue")
