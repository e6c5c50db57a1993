from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from . import access, dashboard, invitations
from .forms import MembershipForm, NewProjectForm, ProjectForm, StakeholderForm
from .history import project_changes
from .inline import inline_delete, inline_edit, inline_list
from .members import MemberRefused, member_add, member_remove, member_set_role
from .models import Membership, OverallRAG, Project, Stakeholder

SORTS = {"name": "name", "stage": "stage", "rag": "rag_status", "updated": "-updated_at", "start": "start_date"}


def project_list(request):
    projects = Project.objects.visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        projects = projects.filter(Q(name__icontains=query) | Q(reference__icontains=query))
    rag_filter = request.GET.get("rag", "")
    if rag_filter in OverallRAG.values:
        projects = projects.filter(rag_status=rag_filter)
    sort = request.GET.get("sort", "name")
    # A subquery, not Count("memberships"): visible_to() already joins memberships filtered to
    # this user, and a Count over that join counts 1 however many members a project has.
    members = (
        Membership.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    projects = projects.order_by(SORTS.get(sort, "name"), "name").annotate(members=Coalesce(Subquery(members), 0))
    return render(
        request,
        "projects/list.html",
        {
            "projects": projects,
            "query": query,
            "rag_filter": rag_filter,
            "rag_choices": OverallRAG.choices,
            "sort": sort,
            "sorts": SORTS,
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request):
    form = NewProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            project = form.save()
            Membership.objects.create(project=project, user=request.user, role=form.cleaned_data["my_role"])
        messages.success(request, f"Created “{project}”. Add its stakeholders next.")
        return redirect("projects:detail", project.slug)
    return render(request, "projects/form.html", {"form": form, "creating": True})


@access.methods("GET", "POST")
def project_edit(request, slug):
    project = access.project_for(request.user, slug, "edit")
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid() and form.save_versioned():
        messages.success(request, "Saved the project's details.")
        return redirect("projects:detail", project.slug)
    return render(request, "projects/form.html", {"form": form, "project": project})


@access.methods("GET")
def project_detail(request, slug):
    project = access.project_for(request.user, slug, "view")
    context = {
        "project": project,
        "stakeholder_count": project.stakeholders.count(),
        "stakeholders": project.stakeholders.all()[:8],
        "panels": dashboard.panels(request, project),
        "can_edit": access.allowed(request.user, project, "edit"),
    }
    return render(request, "projects/detail.html", context)


# Stakeholders -------------------------------------------------------------------------


STAKEHOLDER_SORTS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "organisation": ("organisation", "name"),
    "influence": ("influence", "name"),
    "position": ("position", "id"),
}


def _stakeholders_context(project, request):
    """The list, filtered by kind and sorted as asked (GET parameters survive htmx posts too)."""
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "position")
    people = project.stakeholders.select_related("user").order_by(*STAKEHOLDER_SORTS.get(sort, ("position", "id")))
    if kind in Stakeholder.Kind.values:
        people = people.filter(kind=kind)
    return lambda: {"stakeholders": people, "kind_filter": kind, "sort": sort, "kinds": Stakeholder.Kind.choices}


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def stakeholders(request, slug):
    project = access.project_for(request.user, slug, "view")
    return inline_list(
        request,
        project,
        form_class=StakeholderForm,
        template="projects/stakeholders.html",
        list_url=reverse("projects:stakeholders", args=[slug]),
        context=_stakeholders_context(project, request),
    )


@access.methods("GET", "POST")
def stakeholder_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.stakeholders, pk=pk)
    return inline_edit(
        request,
        project,
        obj,
        form_class=StakeholderForm,
        template="projects/stakeholders.html",
        list_url=reverse("projects:stakeholders", args=[slug]),
    )


@access.methods("GET", "POST")
def stakeholder_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.stakeholders, pk=pk)
    return inline_delete(
        request, project, obj, list_url=reverse("projects:stakeholders", args=[slug]), what="stakeholder"
    )


# Members ------------------------------------------------------------------------------


def _back_within(project, url):
    """`url` when it is a page of this project (the session page's Invite button), else None."""
    url = url or ""
    own = reverse("projects:detail", args=[project.slug])
    if url.startswith(own) and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


@access.methods("GET", "POST")
def members(request, slug):
    project = access.project_for(request.user, slug, "view")
    can_manage = access.allowed(request.user, project, "members")
    form = MembershipForm()
    if request.method == "POST":
        access.require(request.user, project, "members")
        form = MembershipForm(request.POST)
        if form.is_valid():
            who, role = form.cleaned_data["username"], form.cleaned_data["role"]
            as_role = Membership.Role(role).label.lower()
            try:
                if "@" in who:
                    invitation = invitations.invite(project=project, by=request.user, email=who, role=role)
                    # The same words whether or not the address has an account.
                    said = (
                        f"Invitation sent to {invitation.email} as {as_role}. If they have a Mobilise account "
                        "they are a member now; if not, the email has a link to join."
                    )
                else:
                    member_add(project=project, by=request.user, username_or_email=who, role=role)
                    # The same words whether or not the account exists or is already a member.
                    said = f"If “{who}” has a Mobilise account, they are a member of this project now (as {as_role})."
            except (MemberRefused, invitations.InvitationRefused) as refusal:
                form.add_error("role" if isinstance(refusal, MemberRefused) else "username", str(refusal))
            else:
                messages.success(request, said)
                return redirect(
                    _back_within(project, request.POST.get("next")) or reverse("projects:members", args=[slug])
                )
    memberships = project.memberships.select_related("user")
    pending = project.invitations.filter(accepted_at=None).select_related("invited_by", "revoked_by")[:50]
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "memberships": memberships,
            "invitations": pending if can_manage else [],
            "invitation_days": settings.INVITATION_DAYS,
            "form": form,
            "can_manage": can_manage,
            "roles": Membership.Role.choices,
        },
    )


@access.methods("POST")
def member_change(request, slug, pk):
    project = access.project_for(request.user, slug, "members")
    membership = access.obj_or_404(project.memberships.select_related("user"), pk=pk)
    try:
        if request.POST.get("remove"):
            member_remove(project=project, by=request.user, membership=membership)
            messages.success(request, f"Removed {membership.user} from the project.")
            if membership.user_id == request.user.id:
                return redirect("projects:list")
        else:
            membership = member_set_role(
                project=project, by=request.user, membership=membership, role=request.POST.get("role", "")
            )
            messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    except MemberRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("projects:members", slug)


@access.methods("GET")
def history(request, slug):
    project = access.project_for(request.user, slug, "view")
    return render(request, "projects/history.html", {"project": project, "changes": project_changes(project)})
