"""The base of every Mobilise ModelAdmin and inline: the advisory team reads, frozen records
stay frozen, and no version page saves what the change page would refuse.

Django admin asks `has_add/change/delete_permission` before each write it makes (change and
delete pages, bulk delete, inlines), so those hooks are where the rules live. The exception
is simple-history's per-version page (`<id>/history/<history_id>/`): it asks only for *view*
permission and then saves the old version over the current record, or brings a deleted one
back. `MobiliseAdmin.history_form_view` therefore refuses a POST unless `may_revert` allows it.

- Members of the "Advisory team" group add, change and delete nothing, whatever other
  permissions their account holds; an admin or inline with `advisors_may_change = True`
  (the advisory review) is the one exception.
- `is_frozen(obj)` marks records nobody changes or deletes in admin, superusers included
  (issued highlight reports, sign-offs). Admin asks `has_delete_permission` for every
  registered record a deletion would take with it, so a frozen record also stops the
  deletion of its session or project.
- Historical rows are never edited (`SIMPLE_HISTORY_EDIT`'s "Change history" is refused).
  The documented way out for an issued report is `manage.py reopen_report`.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from projects.access import ADVISORY_GROUP


def in_advisory_team(user) -> bool:
    """Group membership, not `access.is_advisor` (which counts superusers in, for viewing)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_in_advisory_team"):
        user._in_advisory_team = user.groups.filter(name=ADVISORY_GROUP).exists()
    return user._in_advisory_team


class ReadOnlyForAdvisors:
    """Mixin for ModelAdmin and InlineModelAdmin (their hooks share names, not signatures)."""

    advisors_may_change = False

    def is_frozen(self, obj) -> bool:
        return False

    def has_add_permission(self, request, *args, **kwargs):
        if in_advisory_team(request.user) and not self.advisors_may_change:
            return False
        return super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_frozen(obj):
            return False
        if in_advisory_team(request.user) and not self.advisors_may_change:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.is_frozen(obj):
            return False
        if in_advisory_team(request.user):
            return False
        return super().has_delete_permission(request, obj)


class MobiliseAdmin(ReadOnlyForAdvisors, SimpleHistoryAdmin):
    # False where putting an old version back bypasses the app's own rules (a session's
    # agreement comes from its sign-offs, never from a saved status).
    revertable = True

    def may_revert(self, request, object_id) -> bool:
        """May this user save a history version over the record `object_id` (POST on the
        version page)? The advisory team never; others as for changing the current record,
        or adding it again when it was deleted."""
        if not self.revertable or in_advisory_team(request.user):
            return False
        current = self.get_object(request, str(object_id))
        if current is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, current)

    def revert_disabled(self, request, obj=None):
        # `obj` is the current record on the history list and the old version on a version
        # page; both carry the record's pk, and the rule is about the current record.
        if obj is not None and obj.pk is not None and not self.may_revert(request, obj.pk):
            return True
        return super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            if "_change_history" in request.POST or not self.may_revert(request, unquote(object_id)):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class FrozenAdmin(MobiliseAdmin):
    """Records made only by the app itself (sign-offs): shown, never added, changed, deleted."""

    revertable = False

    def is_frozen(self, obj):
        return True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MobiliseTabularInline(ReadOnlyForAdvisors, admin.TabularInline):
    pass


class MobiliseStackedInline(ReadOnlyForAdvisors, admin.StackedInline):
    pass
