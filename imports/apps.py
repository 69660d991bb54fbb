from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    label = "imports"
    verbose_name = "Reprise des données (IMOTEP)"
