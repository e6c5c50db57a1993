"""List filters for the advisory team's project list.

Each filter works on the columns `queries.portfolio` annotates, so filtering adds no query
per row. Lookups are fixed lists (no query to build the choices).
"""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from projects.advisory.models import AdvisoryReview

from . import queries


class _Filter(admin.SimpleListFilter):
    options: list = []

    def lookups(self, request, model_admin):
        return self.options


class ReviewStatusFilter(_Filter):
    title = "review status"
    parameter_name = "review"
    options = AdvisoryReview.Status.choices

    def queryset(self, request, queryset):
        if self.value() in AdvisoryReview.Status.values:
            return queryset.filter(review_state=self.value())
        return queryset


class ReadinessFilter(_Filter):
    title = "readiness"
    parameter_name = "ready"
    options = [("yes", "Complete"), ("no", "Not complete")]

    def queryset(self, request, queryset):
        complete = queries.readiness_complete_q()
        if self.value() == "yes":
            return queryset.filter(complete)
        if self.value() == "no":
            return queryset.exclude(complete)
        return queryset


class SessionsAgreedFilter(_Filter):
    title = "sessions agreed"
    parameter_name = "agreed"
    options = [("0", "None"), ("1", "1 of 3"), ("2", "2 of 3"), ("3", "All 3")]

    def queryset(self, request, queryset):
        if self.value() in {"0", "1", "2", "3"}:
            return queryset.filter(sessions_agreed=int(self.value()))
        return queryset


class HighRisksFilter(_Filter):
    title = "high or very high risks"
    parameter_name = "high_risks"
    options = [("yes", "Some"), ("no", "None")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(high_risk_count__gt=0)
        if self.value() == "no":
            return queryset.filter(Q(high_risk_count=0) | Q(high_risk_count__isnull=True))
        return queryset


class OverdueRiskReviewFilter(_Filter):
    title = "overdue risk reviews"
    parameter_name = "overdue"
    options = [("yes", "Has overdue reviews"), ("no", "None overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_overdue_reviews=True)
        if self.value() == "no":
            return queryset.filter(has_overdue_reviews=False)
        return queryset


class NextMilestoneFilter(_Filter):
    """Slipping when any open milestone is late, not only the next one (a project 44 days late
    on a later milestone is not "on time")."""

    title = "milestones"
    parameter_name = "next_milestone"
    options = [("slipping", "Slipping"), ("on_time", "On time"), ("none", "None left")]

    def queryset(self, request, queryset):
        if self.value() == "slipping":
            return queryset.filter(slipping_count__gt=0)
        if self.value() == "on_time":
            return queryset.filter(next_milestone_name__isnull=False, slipping_count=0)
        if self.value() == "none":
            return queryset.filter(next_milestone_name__isnull=True)
        return queryset


class LastReportFilter(_Filter):
    title = "last issued highlight report"
    parameter_name = "report_age"
    WEEKS = (4, 8, 12)
    options = (
        [("never", "Never issued")]
        + [(str(w), f"Older than {w} weeks, or none") for w in WEEKS]
        + [("recent", "Within 4 weeks")]
    )

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value == "never":
            return queryset.filter(last_report_at__isnull=True)
        if value == "recent":
            return queryset.filter(last_report_at__gte=now - timedelta(weeks=4))
        if value in {str(w) for w in self.WEEKS}:
            cutoff = now - timedelta(weeks=int(value))
            return queryset.filter(Q(last_report_at__lt=cutoff) | Q(last_report_at__isnull=True))
        return queryset


class ConsistencyFilter(_Filter):
    title = "consistency checks"
    parameter_name = "check"
    options = [("any", "Any problem")] + queries.CHECKS + [("none", "No problems")]

    def queryset(self, request, queryset):
        keys = [key for key, _ in queries.CHECKS]
        any_problem = Q()
        for key in keys:
            any_problem |= Q(**{key: True})
        if self.value() in keys:
            return queryset.filter(**{self.value(): True})
        if self.value() == "any":
            return queryset.filter(any_problem)
        if self.value() == "none":
            return queryset.exclude(any_problem)
        return queryset
