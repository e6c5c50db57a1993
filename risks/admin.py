"""Risks and issues in Django admin, for the advisory team (read only for them)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from projects.admin_base import MobiliseAdmin

from .models import Issue, Risk, RiskSettings


@admin.register(Risk)
class RiskAdmin(MobiliseAdmin):
    list_display = [
        "reference",
        "event_short",
        "project",
        "likelihood",
        "impact",
        "score",
        "band",
        "owner",
        "status",
        "next_review_date",
    ]
    list_display_links = ["reference", "event_short"]
    # project__risk_settings: the band needs the project's thresholds, one join not N queries.
    list_select_related = ["project", "project__risk_settings", "owner"]
    list_filter = ["status", "category"]
    search_fields = ["event", "mitigating_action", "project__name", "project__reference", "owner__name"]
    raw_id_fields = ["project", "owner"]
    readonly_fields = ["score", "residual_score"]

    @admin.display(description="event", ordering="event")
    def event_short(self, risk):
        return risk.event if len(risk.event) <= 100 else risk.event[:99] + "…"

    @admin.display(description="band")
    def band(self, risk):
        return risk.band_label


@admin.register(Issue)
class IssueAdmin(MobiliseAdmin):
    list_display = [
        "reference",
        "title",
        "project",
        "issue_type",
        "priority",
        "owner",
        "status",
        "raised_on",
        "closed_on",
    ]
    list_display_links = ["reference", "title"]
    list_select_related = ["project", "owner"]
    list_filter = ["status", "issue_type", "priority"]
    search_fields = ["title", "description", "action", "project__name", "project__reference", "owner__name"]
    raw_id_fields = ["project", "owner"]


@admin.register(RiskSettings)
class RiskSettingsAdmin(MobiliseAdmin):
    list_display = ["project", "scale", "low_max", "medium_max", "high_max"]
    list_select_related = ["project"]
    search_fields = ["project__name"]
    raw_id_fields = ["project"]
    # Changing the scale must map existing scores: that is the scale page's job, not a field.
    readonly_fields = ["scale", "scale_page"]

    @admin.display(description="change the scale")
    def scale_page(self, settings):
        if not settings.pk:
            return "-"
        url = reverse("risks:scale", args=[settings.project.slug])
        return format_html('<a href="{}">On the project\'s scale page</a>, which maps existing scores.', url)
