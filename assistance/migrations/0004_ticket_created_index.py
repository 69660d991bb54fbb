"""The agents' lists and the statistics read tickets newest first or by filing date:
indexes on django-helpdesk's Ticket.created (a model we do not own, hence raw SQL that
both SQLite and PostgreSQL accept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_poll_mailbox_schedule"),
        ("helpdesk", "0043_fix_on_delete_behaviour"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS assistance_ticket_created "
            "ON helpdesk_ticket (created)",
            "DROP INDEX IF EXISTS assistance_ticket_created",
        ),
        # A level-1 agent's list: his team's queue, newest first.
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS assistance_ticket_queue_created "
            "ON helpdesk_ticket (queue_id, created)",
            "DROP INDEX IF EXISTS assistance_ticket_queue_created",
        ),
    ]
