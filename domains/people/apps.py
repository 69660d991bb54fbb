from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "domains.people"
    label = "people"
    verbose_name = "Personnes et fonctions"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .permissions import ROLE_PERMISSIONS
        from .roles import register_role_permissions
        from .services import role_groups_sync

        # The people permissions of each role; every other app registers its own.
        register_role_permissions(ROLE_PERMISSIONS)
        # After the last app migrated, so every registered permission exists.
        post_migrate.connect(role_groups_sync, dispatch_uid="people.role_groups_sync")
