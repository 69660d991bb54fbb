from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class CockpitConfig(AppConfig):
    name = "domains.cockpit"
    label = "cockpit"
    verbose_name = "Cockpit"

    def ready(self):
        from anymail.signals import tracking

        from .links import site_domain_follow
        from .mailer import on_tracking
        from .registry import MenuEntry, registry

        # Bounces reported by the ESP's webhook land in the mailings' delivery logs.
        tracking.connect(on_tracking, dispatch_uid="cockpit.bounces")
        # The Sites framework's domain follows SIIMOP_BASE_URL (django-helpdesk builds
        # its ticket links from it).
        post_migrate.connect(
            site_domain_follow,
            sender=apps.get_app_config("sites"),
            dispatch_uid="cockpit.site_domain",
        )

        registry.register_menu(
            MenuEntry(section="ACCUEIL", label="Accueil", url_name="home", order=0)
        )
        # Each domain declares its screens, menu entries and cards in screens.py.
        autodiscover_modules("screens")
