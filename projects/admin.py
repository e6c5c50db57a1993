"""Django admin for the advisory team (issue 7). The project list and change page live in
projects/review/project_admin.py; the other lists are read mostly by advisors, so each keeps
its query count flat (select_related, heavy columns deferred)."""

from django.contrib import admin

from .models import AdvisoryReview, CommunicationItem, HighlightReport, Membership, Milestone, Project, Stakeholder
from .review.admin_base import MobiliseAdmin
from .review.project_admin import AdvisoryReviewForm, ProjectAdmin, heavy_report_fields

admin.site.register(Project, ProjectAdmin)


@admin.register(Stakeholder)
class StakeholderAdmin(MobiliseAdmin):
    list_display = ["name", "project", "organisation", "role_title", "kind"]
    list_select_related = ["project"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation", "project__name"]


@admin.register(Membership)
class MembershipAdmin(MobiliseAdmin):
    list_display = ["user", "project", "role", "added_at"]
    list_select_related = ["user", "project"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "project__name"]
    autocomplete_fields = ["user"]


@admin.register(Milestone)
class MilestoneAdmin(MobiliseAdmin):
    list_display = ["name", "project", "kind", "within_project", "baseline_end", "forecast_end", "slip", "status", "owner"]
    list_select_related = ["project", "owner"]
    list_filter = ["kind", "status", "within_project"]
    search_fields = ["name", "project__name", "owner__name"]
    raw_id_fields = ["project", "owner", "depends_on"]

    @admin.display(description="slip (days)")
    def slip(self, milestone):
        return milestone.slip_days


@admin.register(CommunicationItem)
class CommunicationItemAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "channel", "frequency", "owner", "next_date"]
    list_select_related = ["project", "owner"]
    list_filter = ["channel", "frequency"]
    search_fields = ["audience_group", "purpose", "project__name"]
    raw_id_fields = ["project", "owner", "audience"]


@admin.register(HighlightReport)
class HighlightReportAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "period_start", "period_end", "overall_rag", "issued_at", "issued_by"]
    list_select_related = ["project", "issued_by"]
    list_filter = ["overall_rag"]
    search_fields = ["project__name", "project__reference"]
    raw_id_fields = ["project"]

    def get_queryset(self, request):
        # The PDF bytes and snapshot can be megabytes per row: never load them for a list.
        return super().get_queryset(request).defer(*heavy_report_fields())

    def is_frozen(self, report):
        # Issued reports are frozen for ever (ARCHITECTURE.md), and may not go either: the
        # board was sent them. Drafts may be changed and deleted. `manage.py reopen_report`
        # is the documented way back to a draft.
        return report.is_issued


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
