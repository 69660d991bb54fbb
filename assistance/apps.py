from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"
    label = "assistance"
    verbose_name = "UNESS Assistance"
