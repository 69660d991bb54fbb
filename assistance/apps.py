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
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)

        post_migrate.connect(_teams_sync, sender=self)
