from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CockpitConfig(AppConfig):
    name = "domains.cockpit"
    label = "cockpit"
    verbose_name = "Cockpit"

    def ready(self):
        from anymail.signals import tracking

        from .mailer import on_tracking
        from .registry import MenuEntry, registry

        # Bounces reported by the ESP's webhook land in the mailings' delivery logs.
        tracking.connect(on_tracking, dispatch_uid="cockpit.bounces")

        registry.register_menu(
            MenuEntry(section="ACCUEIL", label="Accueil", url_name="home", order=0)
        )
        # Each domain declares its screens, menu entries and cards in screens.py.
        autodiscover_modules("screens")
