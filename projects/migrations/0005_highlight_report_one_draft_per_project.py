from django.db import migrations, models


def refuse_several_drafts(apps, schema_editor):
    """Say plainly which projects hold more than one draft, instead of a bare IntegrityError.
    Drafts are people's text: the migration deletes none; issue or delete all but one."""
    HighlightReport = apps.get_model("projects", "HighlightReport")
    several = (
        HighlightReport.objects.filter(issued_at__isnull=True).values("project__slug")
        .annotate(drafts=models.Count("pk")).filter(drafts__gt=1)
    )
    if several:
        names = ", ".join(f"{row['project__slug']} ({row['drafts']} drafts)" for row in several)
        raise RuntimeError(
            f"A project may now hold one draft highlight report at a time. Issue or delete all but one "
            f"draft of: {names}; then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_advisory_team_group"),
    ]

    operations = [
        migrations.RunPython(refuse_several_drafts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="highlightreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("issued_at__isnull", True)), fields=("project",), name="one_draft_report_per_project"
            ),
        ),
    ]
