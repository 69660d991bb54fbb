from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data generator: the top layer, it may call every domain's services."""

    name = "domains.demo"
    label = "demo"
    verbose_name = "Données de démonstration"
