"""Django admin for the advisory team (issue 7): the project list and change page
(project_admin.py) and the review, the one record advisors write."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from projects.admin_base import MobiliseAdmin
from projects.models import Project
from projects.reports.models import HighlightReport
from projects.roles import ADVISORY_GROUP

from . import help
from .models import AdvisoryReview, HelpRequest, ReviewEntry
from .project_admin import AdvisoryReviewForm, ProjectAdmin

admin.site.register(Project, ProjectAdmin)


@admin.register(AdvisoryReview)
class AdvisoryReviewAdmin(MobiliseAdmin):
    list_display = ["project", "status", "reviewed_by", "reviewed_on"]
    list_select_related = ["project", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["project__name", "project__reference", "advice"]
    form = AdvisoryReviewForm
    fields = ["project", "status", "advice", "seen_version", "reviewed_by", "reviewed_on"]
    readonly_fields = ["project", "reviewed_by", "reviewed_on"]
    advisors_may_change = True  # the one record the advisory team writes

    def has_add_permission(self, request):
        return False  # reviews are added from the project's page

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.reviewed_by, obj.reviewed_on = request.user, timezone.localdate()
        obj.version += 1
        super().save_model(request, obj, form, change)


class HelpRequestForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["status", "assigned_to", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members of the advisory team take requests on.
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(groups__name=ADVISORY_GROUP, is_active=True)
            .order_by("first_name", "username")
        )
        self.fields["assigned_to"].label_from_instance = lambda user: user.get_full_name() or user.username


@admin.register(HelpRequest)
class HelpRequestAdmin(MobiliseAdmin):
    """The advisory team's queue. Requests come from projects; here they are taken on and moved,
    and each move emails the team and the requester (projects/advisory/help.py)."""

    list_display = ["project", "created_at", "requested_by", "needed_by", "status", "assigned_to", "email_state"]
    list_select_related = ["project", "requested_by", "assigned_to"]
    list_filter = ["status", "source", ("assigned_to", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["project__name", "project__reference", "what_for"]
    date_hierarchy = "created_at"
    form = HelpRequestForm
    fields = [
        "project_context",
        "what_for",
        "needed_by",
        "requested_by",
        "source",
        "created_at",
        "status",
        "assigned_to",
        "note",
        "email_state",
    ]
    readonly_fields = [
        "project_context",
        "what_for",
        "needed_by",
        "requested_by",
        "source",
        "created_at",
        "email_state",
    ]
    advisors_may_change = True  # status, advisor and note: what the team does with a request

    def has_add_permission(self, request):
        return False  # asked from the project (or by choosing Guided or Partnered support)

    @admin.display(description="project")
    def project_context(self, obj):
        project = obj.project
        return format_html(
            '<a href="{}">{}</a><br>Stage: {}. Overall RAG: {}. <a href="{}">The project in Mobilise</a>.',
            reverse("admin:projects_project_change", args=[project.pk]),
            project.name,
            project.get_stage_display(),
            project.get_rag_status_display(),
            reverse("projects:detail", args=[project.slug]),
        )

    @admin.display(description="email")
    def email_state(self, obj):
        if obj.notify_error:
            return format_html('<strong class="errornote">Not sent: {}</strong>', obj.notify_error)
        if obj.notified_at:
            return f"Sent {timezone.localtime(obj.notified_at):%-d %b %Y %H:%M}"
        return "Not sent yet"

    def save_model(self, request, obj, form, change):
        # Through the service, under a row lock, so the move is in the history with its user
        # and emailed once it is committed.
        help.move(
            help_request=obj,
            by=request.user,
            status=form.cleaned_data["status"],
            assigned_to=form.cleaned_data["assigned_to"],
            note=form.cleaned_data["note"],
        )


@admin.register(ReviewEntry)
class ReviewEntryAdmin(MobiliseAdmin):
    """The whole portfolio's review log, to read and filter; entries are added on each
    project's page (or by the project list's "Set the review status" action)."""

    list_display = ["project", "reviewed_on", "reviewer", "status", "follow_up_on", "report"]
    list_select_related = ["project", "reviewer", "report"]
    list_filter = ["status", "reviewed_on", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["project__name", "project__reference", "looked_at", "findings"]
    date_hierarchy = "reviewed_on"

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*[f"report__{name}" for name in HighlightReport.heavy_fields()])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a log: added to, never rewritten
