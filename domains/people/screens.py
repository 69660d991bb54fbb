"""People in the cockpit: MES INFORMATIONS and PERSONNES ET FONCTIONS."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.cockpit import history
from domains.cockpit.registry import MenuEntry, Screen, registry

from . import views
from .cockpit import function_infos
from .filters import PersonFilter
from .forms import PersonCreateForm, PersonForm
from .models import EmailAddress, Function, Person
from .permissions import person_perimeter
from .roles import ALL_PERIMETER_FIELDS
from .selectors import active_on, person_functions, visible_persons
from .tables import PersonTable

registry.set_functions_provider(function_infos)


def persons_for_list(user):
    """Visible persons with their primary address and current functions, in 2 queries."""
    primary = EmailAddress.objects.filter(person=OuterRef("pk"), is_primary=True)
    current = Function.objects.filter(active_on(timezone.localdate())).select_related(
        *ALL_PERIMETER_FIELDS
    )
    return (
        visible_persons(user)
        .annotate(primary_address=Subquery(primary.values("email")[:1]))
        .prefetch_related(
            Prefetch("functions", queryset=current, to_attr="current_functions"),
            "legacy_ids",
        )
    )


def person_context(request, person):
    actor = request.actor
    return {
        "person_functions": person_functions(person),
        "addresses": person.emails.all(),
        "can_grant": actor.has_perm("people.add_function"),
        "can_end": actor.has_perm("people.change_function"),
        "history": history.merged(
            history.entries(person.history.all()),
            history.entries(
                Function.history.filter(person_id=person.pk), subject=_("Fonction")
            ),
            history.entries(
                EmailAddress.history.filter(person_id=person.pk),
                subject=_("Adresse e-mail"),
            ),
        ),
    }


persons = registry.register_screen(
    Screen(
        slug="personnes",
        model=Person,
        label=_("Personnes et fonctions"),
        section="PERSONNES",
        order=50,
        table_class=PersonTable,
        filterset_class=PersonFilter,
        selector=persons_for_list,
        perimeter_objects=person_perimeter,
        form_class=PersonForm,
        create_form_class=PersonCreateForm,
        detail_template="people/person_detail.html",
        detail_context=person_context,
        export_columns=[
            (_("Civilité"), "civility"),
            (_("Nom"), "last_name"),
            (_("Prénom"), "first_name"),
            (_("Adresse e-mail principale"), "primary_address"),
            (_("Téléphone"), "phone"),
            (
                _("Fonctions en cours"),
                lambda p: ", ".join(str(f) for f in p.current_functions),
            ),
            (
                _("Identifiants historiques"),
                lambda p: ", ".join(str(i) for i in p.legacy_ids.all()),
            ),
        ],
        extra_urls=[
            path(
                "<int:pk>/fonctions/ajouter/",
                views.function_grant,
                name="personnes_function_grant",
            ),
            path(
                "<int:pk>/fonctions/<int:function_pk>/terminer/",
                views.function_end,
                name="personnes_function_end",
            ),
        ],
    )
)

registry.register_urls(
    [
        path("mes-informations/", views.my_information, name="my_information"),
        path("mes-informations/adresses/", views.my_emails, name="my_emails"),
        path(
            "mes-informations/adresses/<int:pk>/principale/",
            views.my_email_primary,
            name="my_email_primary",
        ),
        path(
            "mes-informations/adresses/<int:pk>/renvoyer/",
            views.my_email_resend,
            name="my_email_resend",
        ),
        path(
            "mes-informations/adresses/<int:pk>/retirer/",
            views.my_email_remove,
            name="my_email_remove",
        ),
        path("verifier-adresse/<str:token>/", views.email_verify, name="email_verify"),
    ]
)
for order, (label, url_name) in enumerate(
    [
        (_("Mes informations personnelles"), "my_information"),
        (_("Mes adresses e-mail"), "my_emails"),
    ]
):
    registry.register_menu(
        MenuEntry(
            section="MES INFORMATIONS", label=label, url_name=url_name, order=order
        )
    )
