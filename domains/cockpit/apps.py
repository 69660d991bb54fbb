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

        _wagtail_exports_neutralised()

        registry.register_menu(
            MenuEntry(section="ACCUEIL", label="Accueil", url_name="home", order=0)
        )
        # Each domain declares its screens, menu entries and cards in screens.py.
        autodiscover_modules("screens")


def _wagtail_exports_neutralised() -> None:
    """The Wagtail admin's list and report exports are Wagtail's own writer: its XLSX
    keeps formulas as text, but its CSV wrote `=…` names as they are. Its one cell hook
    goes through our neutralisation, so no download of the project writes a formula."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from .export import neutralise

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralised", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(original(self, field, value, export_format))

    preprocess_field_value.neutralised = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
