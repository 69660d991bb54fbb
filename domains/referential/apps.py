from django.apps import AppConfig


class ReferentialConfig(AppConfig):
    name = "domains.referential"
    label = "referential"
    verbose_name = "Référentiel"
