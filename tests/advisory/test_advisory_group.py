import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from projects.access import ADVISORY_GROUP
from projects.advisory.permissions import ADVISORY_APPS, TEMPLATE_PERMISSIONS, sync_advisory_group

# The workshop templates' drafts, which the team improves in admin (issue 19).
TEMPLATES = {f"alignment.{codename}" for codename in TEMPLATE_PERMISSIONS}

pytestmark = pytest.mark.django_db


def group_codenames():
    group = Group.objects.get(name=ADVISORY_GROUP)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_migrated_group_may_view_everything_and_change_only_the_review_help_requests_and_templates():
    codenames = group_codenames()
    every_view = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=ADVISORY_APPS, codename__startswith="view_")
    }
    assert every_view <= codenames
    assert "projects.view_project" in codenames and "projects.view_historicalproject" in codenames
    assert codenames - every_view == {"advisory.change_advisoryreview", "advisory.change_helprequest"} | TEMPLATES
    assert TEMPLATES == {
        "alignment.change_workshoptemplate",
        "alignment.change_templateversion",
        "alignment.delete_templateversion",
        "alignment.add_templatetopic",
        "alignment.change_templatetopic",
        "alignment.delete_templatetopic",
    }
    assert not any(c.split(".")[1].startswith(("add_", "delete_")) for c in codenames - TEMPLATES)


def test_the_group_is_put_back_in_step_after_every_migrate():
    group = Group.objects.get(name=ADVISORY_GROUP)
    # Someone grants deletes by hand and a view permission goes missing (a model added later).
    group.permissions.add(Permission.objects.get(codename="delete_project"))
    group.permissions.remove(Permission.objects.get(codename="view_milestone"))
    call_command("migrate", verbosity=0)
    codenames = group_codenames()
    assert "plan.view_milestone" in codenames
    assert "projects.delete_project" not in codenames


def test_syncing_recreates_a_deleted_group():
    Group.objects.filter(name=ADVISORY_GROUP).delete()
    sync_advisory_group()
    assert "advisory.change_advisoryreview" in group_codenames()


def test_the_demo_advisor_is_staff_in_the_group_with_its_permissions():
    call_command("load_demo")
    from django.contrib.auth import get_user_model

    advisor = get_user_model().objects.get(username="advisor")
    assert advisor.is_staff and not advisor.is_superuser
    assert advisor.has_perm("projects.view_project") and advisor.has_perm("risks.view_risk")
    assert advisor.has_perm("advisory.change_advisoryreview")
    assert not advisor.has_perm("projects.delete_project")
    assert not advisor.has_perm("projects.change_project")
    assert not advisor.has_perm("projects.add_stakeholder")


def test_the_data_migration_itself_creates_the_group_with_its_permissions():
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = import_module("projects.advisory.migrations.0002_advisory_team_group")
    # The registry the migration really runs with: the project state at that migration.
    historical = MigrationLoader(connection).project_state(("advisory", "0002_advisory_team_group")).apps
    Group.objects.filter(name=ADVISORY_GROUP).delete()
    migration.create_advisory_group(historical, SimpleNamespace(connection=connection))
    codenames = group_codenames()
    assert {"projects.view_project", "advisory.change_advisoryreview"} <= codenames
    assert not any(c.split(".")[1].startswith(("add_", "delete_")) for c in codenames - TEMPLATES)
    migration.remove_advisory_group(historical, SimpleNamespace(connection=connection))
    assert not Group.objects.filter(name=ADVISORY_GROUP).exists()
    # Run against the live registry too, it leaves the apps' models modules as they were
    # (clearing them silently switches off every post_migrate handler, flush's included).
    migration.create_advisory_group(global_apps, SimpleNamespace(connection=connection))
    assert all(
        config.models_module is not None for config in global_apps.get_app_configs() if config.label == "projects"
    )
