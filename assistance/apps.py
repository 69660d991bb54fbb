from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _teams_sync(**kwargs) -> None:
    """After each migrate: a team per subdivision and the level-2 team exist, so a
    request can always be routed (idempotent; routes changed by admins are kept), and
    the national mailbox follows the settings."""
    from django.conf import settings

    from .services import mailbox_configure, teams_setup

    teams_setup()
    mailbox_configure(getattr(settings, "ASSISTANCE_MAILBOX", None))


class AssistanceConfig(AppConfig):
    name = "assistance"
    label = "assistance"
    verbose_name = "UNESS Assistance"

    def ready(self) -> None:
        post_migrate.connect(_teams_sync, sender=self)
