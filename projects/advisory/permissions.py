"""The "Advisory team" group: view everything, change the review, help requests and the workshop
templates' drafts, nothing else.

`sync_advisory_group` runs in the data migration and again after every `migrate`
(post_migrate), so models that other areas add later become visible to advisors without
anyone remembering to edit the group. The group's permissions are owned by this code:
anything added to it by hand is removed at the next migrate.
"""

from django.db.models import Q

from projects.roles import ADVISORY_GROUP

# Apps whose records the advisory team reviews; historical (simple-history) models included.
ADVISORY_APPS = ("projects", "plan", "reports", "advisory", "exchange", "alignment", "raci", "risks")
# The records the advisory team writes: its review and the help requests it takes on.
WRITE_PERMISSIONS = ("change_advisoryreview", "change_helprequest")
# ...and the workshop templates it improves (issue 19): drafts and their topics in admin.
# (Tailoring a project's session is a page of the app, which checks the team itself.)
TEMPLATE_PERMISSIONS = (
    "change_workshoptemplate",
    "change_templateversion",
    "delete_templateversion",
    "add_templatetopic",
    "change_templatetopic",
    "delete_templatetopic",
)


def advisory_permissions(Permission, using="default"):
    """Every view permission of the reviewed apps, plus changing the review and help requests."""
    return Permission.objects.using(using).filter(
        Q(content_type__app_label__in=ADVISORY_APPS, codename__startswith="view_")
        | Q(content_type__app_label="advisory", codename__in=WRITE_PERMISSIONS)
        | Q(content_type__app_label="alignment", codename__in=TEMPLATE_PERMISSIONS)
    )


def sync_advisory_group(apps=None, using="default"):
    """Create the group if missing and set its permissions to exactly `advisory_permissions`."""
    if apps is None:
        from django.apps import apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth not installed or not migrated yet
        return None
    group, _ = Group.objects.using(using).get_or_create(name=ADVISORY_GROUP)
    wanted = set(advisory_permissions(Permission, using).values_list("pk", flat=True))
    current = set(group.permissions.values_list("pk", flat=True))
    if wanted != current:
        group.permissions.set(wanted)
    return group
