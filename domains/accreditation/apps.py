from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "domains.accreditation"
    label = "accreditation"
    verbose_name = "Campagnes d'agréments"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
