from django.db import migrations, models


def drop_waiting_uploads(apps, schema_editor):
    # They hold raw bytes only; their people upload again (they would expire within 6 hours).
    apps.get_model("imports", "PendingImport").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_waiting_uploads, migrations.RunPython.noop),
        migrations.RemoveField(model_name="pendingimport", name="data"),
        migrations.RemoveField(model_name="pendingimport", name="sha256"),
        migrations.AddField(
            model_name="pendingimport", name="workbook",
            field=models.BinaryField(default=b"", help_text="Every sheet's cell values, packed; emptied once imported."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pendingimport", name="preview",
            field=models.JSONField(default=dict, help_text="What the preview page shows, from the upload's reading."),
        ),
        migrations.AddField(
            model_name="pendingimport", name="imported_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
