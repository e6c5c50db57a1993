"""Alignment sessions in Django admin, for the advisory team (read only for them).

A session's status follows its sign-offs in the app (projects/admin_base.py): nobody
sets it, or the moment it was agreed, by hand, and sign-offs are never added, changed or
deleted here, so neither is a session or project that holds one."""

from django.contrib import admin

from projects.admin_base import FrozenAdmin, MobiliseAdmin, MobiliseTabularInline

from . import template_admin  # noqa: F401  (registers the workshop templates)
from .models import Action, Assumption, Evidence, Minutes, Session, SignOff, TopicAgreement


class SignOffInline(MobiliseTabularInline):
    model = SignOff
    fields = ["role", "user", "signed_at"]
    readonly_fields = ["role", "user", "signed_at"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def is_frozen(self, obj):
        return True

    def has_add_permission(self, request, obj=None):
        return False  # sign-off happens in the app, by the buyer and the officer themselves


@admin.register(Session)
class SessionAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "status", "held_on", "agreed_at", "changed_at"]
    list_select_related = ["project"]
    list_filter = ["number", "status"]
    search_fields = ["project__name", "project__reference"]
    raw_id_fields = ["project", "attendees", "support_decided_by"]
    # The template version moves on the session's template page, never for an agreed session.
    readonly_fields = ["status", "agreed_at", "changed_at", "template_version"]
    inlines = [SignOffInline]
    # An old version would bring back its status ("agreed") without the sign-offs.
    revertable = False


@admin.register(SignOff)
class SignOffAdmin(FrozenAdmin):
    """Registered so that admin asks before deleting anything that would take sign-offs."""

    list_display = ["session", "role", "user", "signed_at", "project"]
    list_select_related = ["session__project", "user", "project"]
    list_filter = ["role"]
    search_fields = ["project__name", "project__reference", "user__username"]


@admin.register(Evidence)
class EvidenceAdmin(MobiliseAdmin):
    list_display = ["__str__", "source", "project"]
    list_select_related = ["project"]
    search_fields = ["text", "source", "project__name"]
    raw_id_fields = ["project"]


@admin.register(Assumption)
class AssumptionAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "owner", "due_date", "status"]
    list_select_related = ["project", "owner"]
    list_filter = ["status"]
    search_fields = ["text", "answer", "project__name"]
    raw_id_fields = ["project", "owner"]


@admin.register(TopicAgreement)
class TopicAgreementAdmin(FrozenAdmin):
    """Agreements to one topic of a session: made and withdrawn in the app only."""

    list_display = ["session", "topic", "role", "user", "agreed_at", "project"]
    list_select_related = ["session__project", "user", "project"]
    list_filter = ["role", "topic"]
    search_fields = ["project__name", "project__reference", "user__username"]


@admin.register(Minutes)
class MinutesAdmin(FrozenAdmin):
    """Frozen minutes: shown with their hash, downloaded from the session page, never edited."""

    list_display = ["session", "number", "agreed_at", "pdf_sha256", "project"]
    list_select_related = ["session__project", "project"]
    search_fields = ["project__name", "project__reference", "pdf_sha256"]
    fields = ["project", "session", "number", "agreed_at", "pdf_sha256"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*Minutes.heavy_fields())


@admin.register(Action)
class ActionAdmin(MobiliseAdmin):
    list_display = ["__str__", "project", "session", "owner", "due_date", "status"]
    list_select_related = ["project", "session", "owner"]
    list_filter = ["status"]
    search_fields = ["text", "project__name"]
    raw_id_fields = ["project", "session", "owner", "source_assumption"]
