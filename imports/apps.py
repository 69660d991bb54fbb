from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    label = "imports"
    verbose_name = "Reprise des données (IMOTEP)"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
