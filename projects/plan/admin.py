from django.contrib import admin

from projects.admin_base import MobiliseAdmin

from .models import CommunicationItem, Milestone


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


@admin.register(CommunicationItem)
class CommunicationItemAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "channel", "frequency", "owner", "next_date"]
    list_select_related = ["project", "owner"]
    list_filter = ["channel", "frequency"]
    search_fields = ["audience_group", "purpose", "project__name"]
    raw_id_fields = ["project", "owner", "audience"]
