"""The training catalogue in the cockpit: one's badges (MES INFORMATIONS), and the
badges of the people in one's perimeter."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.registry import MenuEntry, registry

from . import views

registry.register_urls(
    [
        path("mes-informations/badges/", views.my_badges, name="my_badges"),
        path("mes-informations/formations/", views.my_trainings, name="my_trainings"),
        path("badges-de-mon-perimetre/", views.people_badges, name="people_badges"),
        path(
            "formations/statistiques/",
            views.statistics_page,
            name="training_statistics",
        ),
    ]
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS",
        label=_("Mes formations"),
        url_name="my_trainings",
        order=4,
    )
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS", label=_("Mes badges"), url_name="my_badges", order=5
    )
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS",
        label=_("Badges de mon périmètre"),
        url_name="people_badges",
        permission="people.view_person",
        order=6,
    )
)
registry.register_menu(
    MenuEntry(
        section="ASSISTANCE",
        label=_("Statistiques des formations"),
        url_name="training_statistics",
        permission="courses.view_courseenrolment",
        order=40,
    )
)

from . import home  # noqa: E402, F401  (the home tiles)
