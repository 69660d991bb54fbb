"""URLs of the cockpit, generated from the registered screens."""

from django.urls import include, path

from . import views
from .registry import registry

app_name = "cockpit"


def screen_patterns(screen) -> list:
    n, kw = screen.url_name, {"screen": screen.slug}
    patterns = [
        path("", views.screen_list, kw, name=f"{n}_list"),
        path("<int:pk>/", views.screen_detail, kw, name=f"{n}_detail"),
        path("export/<str:fmt>/", views.screen_export, kw, name=f"{n}_export"),
        path("colonnes/", views.screen_columns, kw, name=f"{n}_columns"),
        path("filtres/", views.saved_filter_save, kw, name=f"{n}_filter_save"),
        path(
            "filtres/<int:filter_pk>/supprimer/",
            views.saved_filter_remove,
            kw,
            name=f"{n}_filter_delete",
        ),
    ]
    if screen.form_class is not None:
        patterns.append(
            path("<int:pk>/modifier/", views.screen_edit, kw, name=f"{n}_edit")
        )
    if screen.create_form_class is not None:
        patterns.append(path("nouveau/", views.screen_create, kw, name=f"{n}_create"))
    if screen.delete is not None:
        patterns.append(
            path("<int:pk>/supprimer/", views.screen_delete, kw, name=f"{n}_delete")
        )
    if screen.decisions:
        patterns.append(
            path(
                "<int:pk>/decision/<str:decision>/",
                views.screen_decision,
                kw,
                name=f"{n}_decision",
            )
        )
    if screen.bulk_actions:
        patterns.append(path("actions/", views.screen_bulk, kw, name=f"{n}_bulk"))
    return patterns + list(screen.extra_urls)


urlpatterns = [
    path("", views.home, name="home"),
    path("fonction/", views.switch_function, name="switch_function"),
    *registry.urls,
    *[
        path(f"{screen.slug}/", include(screen_patterns(screen)))
        for screen in sorted(registry.screens.values(), key=lambda s: s.order)
    ],
]
