from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "domains.accreditation"
    label = "accreditation"
    verbose_name = "Campagnes d'agréments"
