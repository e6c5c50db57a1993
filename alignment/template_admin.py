"""The workshop templates in Django admin: the advisory team starts a new version from the
latest, edits the draft's topics, and publishes it from its page (the difference beside the
version it came from, and the change note). Published versions are read-only for everyone;
staff outside the team only read. Tailorings are made on the project's tailoring page and
are shown here read-only."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from projects.admin_base import FrozenAdmin, MobiliseAdmin, MobiliseStackedInline, in_advisory_team

from . import tailoring
from .templates_data import TemplateTailoring, TemplateTopic, TemplateVersion, WorkshopTemplate


class TemplateTopicInline(MobiliseStackedInline):
    model = TemplateTopic
    fields = [
        "order",
        "key",
        "title",
        "prompt",
        "helper_questions",
        "field_prompts",
        "duration_minutes",
        "needs_before_signoff",
    ]
    extra = 0
    advisors_may_change = True  # a draft's topics: the templates are the advisory team's to improve

    def _draft(self, obj):
        return obj is not None and not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or self._draft(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not self._draft(obj):
            return False
        # The mixin refuses every deletion to the team; a draft's topic is theirs to drop.
        return request.user.has_perm("alignment.delete_templatetopic")


@admin.register(WorkshopTemplate)
class WorkshopTemplateAdmin(MobiliseAdmin):
    list_display = ["__str__", "latest_version"]
    actions = ["start_version"]
    advisors_may_change = True

    def has_add_permission(self, request):
        return False  # the three templates come with the app

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # the action only

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="latest version")
    def latest_version(self, obj):
        latest = obj.latest()
        return latest.number if latest else "none"

    @admin.action(description="Start a new version from the latest", permissions=["change"])
    def start_version(self, request, queryset):
        for template in queryset:
            draft = tailoring.start_draft(template=template, by=request.user)
            messages.success(request, f"Started {draft}: edit its topics, then publish it from its page.")


@admin.register(TemplateVersion)
class TemplateVersionAdmin(MobiliseAdmin):
    list_display = ["__str__", "state", "author", "created_at", "published_at", "change_note"]
    list_select_related = ["template", "author"]
    list_filter = ["template"]
    fields = [
        "template",
        "title",
        "duration",
        "aligns_on",
        "change_note",
        "publish_link",
        "author",
        "based_on",
        "proposed_from",
    ]
    readonly_fields = ["template", "publish_link", "author", "based_on", "proposed_from"]
    inlines = [TemplateTopicInline]
    advisors_may_change = True
    revertable = False  # an old row would undo a publication

    def is_frozen(self, obj):
        return obj.is_published

    def has_add_permission(self, request):
        return False  # a draft starts from the latest version (the template's action) or a tailored project

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_published and in_advisory_team(request.user):
            return request.user.has_perm("alignment.delete_templateversion")
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_published)

    @admin.display(description="state")
    def state(self, obj):
        return f"Version {obj.number}" if obj.is_published else "Draft"

    @admin.display(description="difference and publishing")
    def publish_link(self, obj):
        label = "See the difference" if obj.is_published else "See the difference and publish"
        return format_html('<a href="{}">{}</a>', reverse("templates:version", args=[obj.pk]), label)


@admin.register(TemplateTailoring)
class TemplateTailoringAdmin(FrozenAdmin):
    """Made on the project's tailoring page (alignment/tailoring.py), so they stay in its rules."""

    list_display = ["project", "session_number", "topic_key", "kind", "by", "at"]
    list_select_related = ["project", "by"]
    list_filter = ["session_number", "kind"]
    search_fields = ["project__name", "project__reference", "topic_key", "title"]
