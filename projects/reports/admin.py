from django.contrib import admin

from projects.admin_base import MobiliseAdmin

from .models import HighlightReport


@admin.register(HighlightReport)
class HighlightReportAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "period_start", "period_end", "overall_rag", "issued_at", "issued_by"]
    list_select_related = ["project", "issued_by"]
    list_filter = ["overall_rag"]
    search_fields = ["project__name", "project__reference"]
    raw_id_fields = ["project"]

    def get_queryset(self, request):
        # The PDF bytes and snapshot can be megabytes per row: never load them for a list.
        return super().get_queryset(request).defer(*HighlightReport.heavy_fields())

    def is_frozen(self, report):
        # Issued reports are frozen for ever (ARCHITECTURE.md), and may not go either: the
        # board was sent them. Drafts may be changed and deleted. `manage.py reopen_report`
        # is the documented way back to a draft.
        return report.is_issued
