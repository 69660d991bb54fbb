from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "domains.matching"
    label = "matching"
    verbose_name = "Appariement Docteurs Juniors"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
