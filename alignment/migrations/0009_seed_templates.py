"""Version 1 of the three workshop templates (the seed's content, alignment/template_seed.py),
and every session that exists already uses it."""

from django.db import migrations


def seed(apps, schema_editor):
    from alignment.templates_data import load_seed

    using = schema_editor.connection.alias
    load_seed(
        apps.get_model("alignment", "WorkshopTemplate"),
        apps.get_model("alignment", "TemplateVersion"),
        apps.get_model("alignment", "TemplateTopic"),
        using=using,
    )
    TemplateVersion = apps.get_model("alignment", "TemplateVersion")
    Session = apps.get_model("alignment", "Session")
    for version in TemplateVersion.objects.using(using).filter(number=1).select_related("template"):
        Session.objects.using(using).filter(number=version.template.number, template_version__isnull=True).update(
            template_version=version
        )


class Migration(migrations.Migration):
    dependencies = [("alignment", "0008_workshop_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
