from django.contrib import admin

from projects.admin_base import MobiliseAdmin, MobiliseTabularInline

from .models import Baseline, BaselineEntry, CommunicationItem, Milestone

BASELINE_FIELDS = ["baseline_start", "baseline_end"]


@admin.register(Milestone)
class MilestoneAdmin(MobiliseAdmin):
    list_display = [
        "name",
        "project",
        "kind",
        "within_project",
        "baseline_end",
        "forecast_end",
        "slip",
        "status",
        "owner",
    ]
    list_select_related = ["project", "owner"]
    list_filter = ["kind", "status", "within_project"]
    search_fields = ["name", "project__name", "owner__name"]
    raw_id_fields = ["project", "owner", "depends_on"]

    @admin.display(description="slip (days)")
    def slip(self, milestone):
        return milestone.slip_days

    def get_readonly_fields(self, request, obj=None):
        """A baselined milestone's baseline dates are the baseline's: set a new baseline on
        the work plan page to change them."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.baseline_entries.exists():
            fields += BASELINE_FIELDS
        return fields

    def may_revert(self, request, object_id) -> bool:
        # An old version would put back baseline dates that a baseline has since replaced.
        if BaselineEntry.objects.filter(milestone_id=object_id).exists():
            return False
        return super().may_revert(request, object_id)


class BaselineEntryInline(MobiliseTabularInline):
    model = BaselineEntry
    fields = ["name", "milestone", "start", "end"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Baseline)
class BaselineAdmin(MobiliseAdmin):
    """Baselines are made by "Set baseline" on the work plan page and never edited; deleting
    one (or its project) is allowed."""

    list_display = ["__str__", "project", "set_at", "set_by"]
    list_select_related = ["project", "set_by"]
    search_fields = ["name", "reason", "project__name"]
    fields = ["project", "number", "name", "reason", "set_at", "set_by"]
    readonly_fields = fields
    inlines = [BaselineEntryInline]
    revertable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CommunicationItem)
class CommunicationItemAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "channel", "frequency", "owner", "next_date"]
    list_select_related = ["project", "owner"]
    list_filter = ["channel", "frequency"]
    search_fields = ["audience_group", "purpose", "project__name"]
    raw_id_fields = ["project", "owner", "audience"]
