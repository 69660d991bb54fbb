from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "domains.identity"
    label = "identity"
    verbose_name = "Connexion"
