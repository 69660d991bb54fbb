from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "domains.residents"
    label = "residents"
    verbose_name = "Internes et parcours"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
