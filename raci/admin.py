"""RACI activities in Django admin, for the advisory team (read only for them)."""

from django.contrib import admin
from django.db.models import Count, Q

from projects.admin_base import MobiliseAdmin, MobiliseTabularInline

from .models import Activity, Assignment


class AssignmentInline(MobiliseTabularInline):
    model = Assignment
    fields = ["stakeholder", "letters"]
    raw_id_fields = ["stakeholder"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stakeholder")


@admin.register(Activity)
class ActivityAdmin(MobiliseAdmin):
    list_display = ["name", "project", "milestone", "accountable_count", "responsible_count"]
    list_select_related = ["project", "milestone"]
    search_fields = ["name", "project__name", "project__reference"]
    raw_id_fields = ["project", "milestone"]
    inlines = [AssignmentInline]

    def get_queryset(self, request):
        # The rule columns come from one aggregate, not a query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                accountable=Count("assignments", filter=Q(assignments__letters__contains="A")),
                responsible=Count("assignments", filter=Q(assignments__letters__contains="R")),
            )
        )

    @admin.display(description="A (exactly 1)", ordering="accountable")
    def accountable_count(self, activity):
        return activity.accountable if activity.accountable == 1 else f"{activity.accountable} (should be 1)"

    @admin.display(description="R (at least 1)", ordering="responsible")
    def responsible_count(self, activity):
        return activity.responsible if activity.responsible else "0 (needs one)"


@admin.register(Assignment)
class AssignmentAdmin(MobiliseAdmin):
    list_display = ["activity", "stakeholder", "letters", "project"]
    list_select_related = ["activity__project", "stakeholder"]
    list_filter = ["letters"]
    search_fields = ["activity__name", "stakeholder__name", "activity__project__name"]
    raw_id_fields = ["activity", "stakeholder"]

    @admin.display(description="project", ordering="activity__project__name")
    def project(self, assignment):
        return assignment.activity.project
