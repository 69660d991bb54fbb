from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "domains.people"
    label = "people"
    verbose_name = "Personnes et fonctions"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .services import role_groups_sync

        # After the last app migrated, so every permission of roles.py exists.
        post_migrate.connect(role_groups_sync, dispatch_uid="people.role_groups_sync")
