from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "domains.residents"
    label = "residents"
    verbose_name = "Internes et parcours"
