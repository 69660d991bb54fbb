"""MES INFORMATIONS > Connexions, in the cockpit."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.registry import MenuEntry, registry

from . import views

registry.register_urls(
    [path("mes-informations/connexions/", views.connections, name="connections")]
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS",
        label=_("Connexions"),
        url_name="connections",
        order=2,
    )
)
