import datetime

from django.db import migrations

FUNC = "domains.choices.tasks.send_declaration_reminders"


def forwards(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    Schedule.objects.update_or_create(
        func=FUNC,
        defaults={
            "name": "Rappels de l'activité semestrielle (quotidien)",
            "schedule_type": "D",
            "next_run": datetime.datetime.combine(
                tomorrow, datetime.time(7, 0), tzinfo=datetime.UTC
            ),
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("choices", "0004_declaration_deadline"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
