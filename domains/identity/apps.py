from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "domains.identity"
    label = "identity"
    verbose_name = "Connexion"

    def ready(self):
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)

        from . import signals  # noqa: F401 - connects the audit log
