from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "domains.cockpit"
    label = "cockpit"
    verbose_name = "Cockpit"
