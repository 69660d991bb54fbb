"""Every hour, django-q2 reminds the people registered to tomorrow's sessions (each
registration once: `reminded_at`)."""

import datetime

from django.db import migrations

REMIND = "courses.tasks.send_session_reminders"


def schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        func=REMIND,
        defaults={
            "name": "Formations : rappel la veille des sessions",
            "schedule_type": "H",
            "next_run": datetime.datetime.now(tz=datetime.UTC),
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=REMIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_dated_sessions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
