from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


def _session_saved(sender, instance, created, **kwargs) -> None:
    """More places after an edit: the waiting list moves up."""
    if not created:
        from .services import session_fill

        transaction.on_commit(lambda: session_fill(instance))


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Formations"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)

        from .models import TrainingSession

        post_save.connect(
            _session_saved, sender=TrainingSession, dispatch_uid="courses.session_fill"
        )
