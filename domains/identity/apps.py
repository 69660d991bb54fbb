from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "domains.identity"
    label = "identity"
    verbose_name = "Connexion"

    def ready(self):
        from . import signals  # noqa: F401 - connects the audit log
