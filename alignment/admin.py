"""Alignment sessions in Django admin, for the advisory team (view mostly)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assumption, Evidence, Session, SignOff


class SignOffInline(admin.TabularInline):
    model = SignOff
    fields = ["role", "user", "signed_at"]
    readonly_fields = ["role", "user", "signed_at"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False  # sign-off happens in the app, by the buyer and the officer themselves


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "project", "status", "held_on", "agreed_at", "changed_at"]
    list_select_related = ["project"]
    list_filter = ["number", "status"]
    search_fields = ["project__name", "project__reference"]
    raw_id_fields = ["project", "attendees", "support_decided_by"]
    inlines = [SignOffInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "source", "project"]
    list_select_related = ["project"]
    search_fields = ["text", "source", "project__name"]
    raw_id_fields = ["project"]


@admin.register(Assumption)
class AssumptionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "project", "owner", "due_date", "status"]
    list_select_related = ["project", "owner"]
    list_filter = ["status"]
    search_fields = ["text", "answer", "project__name"]
    raw_id_fields = ["project", "owner"]
