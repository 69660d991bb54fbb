from django.db import migrations

from domains.referential import catalogues


def forwards(apps, schema_editor):
    catalogues.load(
        apps.get_model("referential", "Region"),
        apps.get_model("referential", "Subdivision"),
        apps.get_model("referential", "Specialty"),
        apps.get_model("referential", "Phase"),
    )


class Migration(migrations.Migration):
    dependencies = [("referential", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
