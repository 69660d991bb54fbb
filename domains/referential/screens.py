"""The referential's cockpit screens: STAGES 3e CYCLE."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from domains.cockpit import history
from domains.cockpit.registry import (
    BulkAction,
    MenuEntry,
    Screen,
    counted,
    each,
    registry,
)
from domains.people.models import EmailAddress, Function
from domains.people.perimeters import register_perimeter_queryset

from . import filters, forms, services, tables, views
from .models import Accreditation, Establishment, Post, TrainingSite
from .permissions import (
    accreditation_perimeter,
    establishment_perimeter,
    post_perimeter,
    site_perimeter,
)
from .selectors import (
    perimeter_regions,
    perimeter_subdivisions,
    visible_accreditations,
    visible_establishments,
    visible_posts,
    visible_training_sites,
)

SECTION = "STAGES 3e CYCLE"


def establishment_context(request, establishment):
    sites = establishment.training_sites.select_related("subdivision").order_by("name")
    return {
        "sites": sites,
        "geographic_sites": establishment.sites.order_by("name"),
        "can_merge": request.actor.can(establishments, "change", establishment),
    }


def site_context(request, site):
    functions = list(
        Function.objects.filter(training_site=site)
        .select_related("person")
        .prefetch_related("person__emails")
        .order_by("end_date", "role")
    )
    today = timezone.localdate()
    people = [f for f in functions if f.is_active_on(today)]
    posts = site.posts.select_related("semester", "specialty", "phase").order_by(
        "-semester__start_date", "specialty__label"
    )
    by_semester: dict = {}
    for post in posts:
        by_semester.setdefault(post.semester, []).append(post)
    emails = EmailAddress.history.filter(person_id__in=[f.person_id for f in functions])
    return {
        "accreditations": site.accreditations.select_related("specialty", "supervisor")
        .prefetch_related("phases")
        .order_by("-end_date"),
        "posts_by_semester": by_semester,
        "site_people": people,
        "can_manage_people": request.actor.can(training_sites, "change", site),
        # Changes of the site, of its people's functions and of their addresses.
        "history": history.merged(
            history.entries(site.history.all()),
            history.entries(
                Function.history.filter(training_site_id=site.pk), subject=_("Fonction")
            ),
            history.entries(emails, subject=_("Adresse e-mail")),
        ),
    }


establishments = registry.register_screen(
    Screen(
        slug="etablissements",
        model=Establishment,
        label=_("Établissements"),
        section=SECTION,
        order=10,
        table_class=tables.EstablishmentTable,
        filterset_class=filters.EstablishmentFilter,
        selector=visible_establishments,
        perimeter_objects=establishment_perimeter,
        form_class=forms.EstablishmentForm,
        create_form_class=forms.EstablishmentCreateForm,
        detail_template="referential/establishment_detail.html",
        detail_context=establishment_context,
        extra_urls=[
            path(
                "<int:pk>/fusionner/",
                views.establishment_merge,
                name="etablissements_merge",
            ),
        ],
    )
)

training_sites = registry.register_screen(
    Screen(
        slug="terrains-de-stage",
        model=TrainingSite,
        label=_("Terrains de stage"),
        section=SECTION,
        order=20,
        table_class=tables.TrainingSiteTable,
        filterset_class=filters.TrainingSiteFilter,
        selector=visible_training_sites,
        perimeter_objects=site_perimeter,
        form_class=forms.TrainingSiteForm,
        create_form_class=forms.TrainingSiteCreateForm,
        detail_template="referential/training_site_detail.html",
        detail_context=site_context,
        bulk_actions=[
            BulkAction(
                name="deactivate",
                label=_("Désactiver"),
                permission="change",
                run=each(
                    lambda user, site: services.training_site_update(
                        training_site=site, is_active=False, by=user
                    )
                ),
                confirm=counted(
                    ngettext_lazy(
                        "Désactiver ce terrain de stage ? Il ne recevra plus de postes.",
                        "Désactiver ces %(count)d terrains de stage ? Ils ne recevront "
                        "plus de postes.",
                        "count",
                    )
                ),
            )
        ],
        extra_urls=[
            path(
                "<int:pk>/personnes/ajouter/",
                views.site_function_add,
                name="terrains_de_stage_function_add",
            ),
            path(
                "<int:pk>/personnes/<int:function_pk>/coordonnees/",
                views.site_contact,
                name="terrains_de_stage_contact",
            ),
            path(
                "<int:pk>/personnes/<int:function_pk>/terminer/",
                views.site_function_end,
                name="terrains_de_stage_function_end",
            ),
        ],
    )
)

accreditations = registry.register_screen(
    Screen(
        slug="agrements",
        model=Accreditation,
        label=_("Agréments"),
        section=SECTION,
        order=30,
        table_class=tables.AccreditationTable,
        filterset_class=filters.AccreditationFilter,
        selector=visible_accreditations,
        perimeter_objects=accreditation_perimeter,
        form_class=forms.AccreditationForm,
        create_form_class=forms.AccreditationCreateForm,
        export_columns=[
            (_("Terrain de stage"), "training_site__name"),
            (_("Subdivision"), "training_site__subdivision__name"),
            (_("Spécialité"), "specialty__label"),
            (_("Phases"), "phases"),
            (_("Type"), "type"),
            (_("État"), "state"),
            (_("Début"), "start_date"),
            (_("Fin"), "end_date"),
            (_("Responsable (RTS)"), "supervisor"),
            (_("Décision"), "decision_reference"),
        ],
    )
)

posts = registry.register_screen(
    Screen(
        slug="postes",
        model=Post,
        label=_("Postes"),
        section=SECTION,
        order=40,
        table_class=tables.PostTable,
        filterset_class=filters.PostFilter,
        selector=visible_posts,
        perimeter_objects=post_perimeter,
        form_class=forms.PostForm,
        create_form_class=forms.PostCreateForm,
        delete=lambda user, post: services.post_close(post=post, by=user),
        bulk_actions=[
            BulkAction(
                name="close",
                label=_("Fermer les postes"),
                permission="delete",
                run=each(lambda user, post: services.post_close(post=post, by=user)),
                confirm=counted(
                    ngettext_lazy(
                        "Fermer ce poste ? Il disparaîtra du semestre.",
                        "Fermer ces %(count)d postes ? Ils disparaîtront du semestre.",
                        "count",
                    )
                ),
            ),
            BulkAction(
                name="add_seat",
                label=_("Ajouter une place"),
                permission="change",
                run=each(
                    lambda user, post: services.post_update(
                        post=post,
                        seats=post.seats + 1,
                        coupled_with=post.coupled_with,
                        by=user,
                    )
                ),
            ),
        ],
        extra_urls=[path("synthese/", views.posts_summary, name="postes_summary")],
    )
)

registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Synthèse des postes"),
        url_name="postes_summary",
        permission="referential.view_post",
        order=41,
    )
)


from . import home  # noqa: E402, F401  (the home tiles)

register_perimeter_queryset("region", perimeter_regions)
register_perimeter_queryset("subdivision", perimeter_subdivisions)
register_perimeter_queryset("establishment", visible_establishments)
register_perimeter_queryset(
    "training_site", lambda user: visible_training_sites(user).filter(is_active=True)
)
