"""Every five minutes, django-q2 has django-helpdesk read the national mailbox (a
no-op while none is configured)."""

import datetime

from django.db import migrations

POLL = "assistance.tasks.poll_mailbox"


def schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        func=POLL,
        defaults={
            "name": "UNESS Assistance : lecture de la boîte aux lettres",
            "schedule_type": "I",
            "minutes": 5,
            "next_run": datetime.datetime.now(tz=datetime.UTC),
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=POLL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_targets_periods_reads"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
