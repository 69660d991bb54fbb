from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "domains.matching"
    label = "matching"
    verbose_name = "Appariement Docteurs Juniors"
