from django.apps import AppConfig


class SiimopSiteConfig(AppConfig):
    name = "siimop_site"
    verbose_name = "Site public"
