import datetime

from django.db import migrations

FUNC = "domains.people.tasks.sync_function_permissions"


def forwards(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    Schedule.objects.update_or_create(
        func=FUNC,
        defaults={
            "name": "Permissions des fonctions (quotidien)",
            "schedule_type": "D",
            "next_run": datetime.datetime.combine(
                tomorrow, datetime.time(0, 5), tzinfo=datetime.UTC
            ),
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
