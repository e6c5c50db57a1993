from django.db import migrations


class Migration(migrations.Migration):
    """Risks have no kind any more: issues are their own log (0004 moved them there)."""

    dependencies = [
        ("risks", "0004_move_issues_to_log"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalrisk",
            name="kind",
        ),
        migrations.RemoveField(
            model_name="risk",
            name="kind",
        ),
    ]
