"""Django admin for the advisory team (issue 7): the project list and change page
(project_admin.py) and the review, the one record advisors write."""

from django.contrib import admin

from projects.admin_base import MobiliseAdmin
from projects.models import Project

from .models import AdvisoryReview
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
