"""Create the "Advisory team" group with view-everything and change-review permissions.

Permissions are normally created after `migrate` finishes; create them here for the models
known at this point so the group is complete straight away. The post_migrate handler in
projects/advisory/models.py keeps the group in step as other apps add models.
"""

from django.db import migrations


def create_advisory_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from projects.advisory.permissions import sync_advisory_group

    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        # create_permissions skips configs without a models module (historical ones have
        # none); set one for the call and put the original back, whichever registry this is.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=using)
        finally:
            app_config.models_module = original
    sync_advisory_group(apps=apps, using=using)


def remove_advisory_group(apps, schema_editor):
    from projects.roles import ADVISORY_GROUP

    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=ADVISORY_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advisory", "0001_initial"),
        ("projects", "0001_initial"),
        ("plan", "0001_initial"),
        ("reports", "0001_initial"),
        ("alignment", "0001_initial"),
        ("raci", "0001_initial"),
        ("risks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_advisory_group, remove_advisory_group)]
