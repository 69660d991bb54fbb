from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "domains.people"
    label = "people"
    verbose_name = "Personnes et fonctions"
