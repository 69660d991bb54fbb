"""The choice sessions (amphis) in the cockpit: the ARS's screen of each session with
its simulation, and the resident's wishes (Mes vœux)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.registry import Decision, MenuEntry, Screen, registry
from domains.people.roles import Role

from . import session_views
from .filters import SessionFilter
from .forms import WishesUntilForm
from .models import ChoiceSession, SessionStatus
from .permissions import OPENING_READERS, call_list_perimeter
from .session_selectors import visible_sessions
from .session_services import choice_session_move, choice_session_postpone
from .tables import SessionTable

registry.register_screen(
    Screen(
        slug="amphis",
        model=ChoiceSession,
        label=_("Amphis de choix"),
        section="INTERNES",
        order=34,
        table_class=SessionTable,
        filterset_class=SessionFilter,
        selector=visible_sessions,
        perimeter_objects=lambda session: call_list_perimeter(session.call_list),
        detail_template="choices/session_detail.html",
        detail_context=session_views.session_context,
        decisions=[
            Decision(
                name="clore-voeux",
                label=_("Clore la saisie des vœux"),
                run=lambda by, record: choice_session_move(
                    by=by, session=record, to=SessionStatus.WISHES_CLOSED
                ),
                success=_("%(record)s : saisie des vœux close."),
                confirm=_(
                    "Clore la saisie des vœux ? Les internes ne pourront plus les "
                    "modifier ; vous pourrez la rouvrir avant l'amphi."
                ),
                applies=lambda record: record.status == SessionStatus.WISHES,
            ),
            Decision(
                name="rouvrir-voeux",
                label=_("Rouvrir la saisie des vœux"),
                run=lambda by, record: choice_session_move(
                    by=by, session=record, to=SessionStatus.WISHES
                ),
                success=_("%(record)s : saisie des vœux rouverte."),
                applies=lambda record: record.status == SessionStatus.WISHES_CLOSED,
            ),
            Decision(
                name="reporter",
                label=_("Reporter la fin des vœux"),
                run=lambda by, record, wishes_until: choice_session_postpone(
                    by=by, session=record, wishes_until=wishes_until
                ),
                form=lambda request, record: WishesUntilForm(
                    request.POST, request=request
                ),
                success=_(
                    "%(record)s : fin des vœux reportée, chaque interne est prévenu."
                ),
                applies=lambda record: (
                    record.status in (SessionStatus.WISHES, SessionStatus.WISHES_CLOSED)
                ),
            ),
        ],
        export_columns=[
            ("Liste d'appel", lambda s: str(s.call_list)),
            ("Semestre", lambda s: str(s.call_list.semester)),
            ("État", lambda s: s.get_status_display()),
            ("Vœux jusqu'au", "wishes_until"),
            ("Simulée le", "simulated_at"),
        ],
    )
)

registry.register_urls(
    [
        path("mes-voeux/", session_views.my_wishes, name="my_wishes"),
        path("mes-voeux/ajouter/", session_views.my_wish_add, name="my_wish_add"),
        path(
            "mes-voeux/estimer/",
            session_views.my_wish_forecast,
            name="my_wish_forecast",
        ),
        path(
            "mes-voeux/<str:post>/<str:move>/",
            session_views.my_wish_move,
            name="my_wish_move",
        ),
        path("mon-pre-choix/", session_views.my_pre_choice, name="my_pre_choice"),
        path(
            "mon-pre-choix/ajouter/",
            session_views.my_pre_choice_add,
            name="my_pre_choice_add",
        ),
        path(
            "mon-pre-choix/<int:accreditation>/<str:move>/",
            session_views.my_pre_choice_move,
            name="my_pre_choice_move",
        ),
        path(
            "ouverture-des-postes/pre-choix/",
            session_views.pre_choice_demand,
            name="pre_choice_demand",
        ),
    ]
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS",
        label=_("Mon pré-choix de stage"),
        url_name="my_pre_choice",
        permission="choices.add_wishlist",
        order=4,
        roles=(Role.RESIDENT,),
        refusal=_("Cette page est celle des internes."),
    )
)
registry.register_menu(
    MenuEntry(
        section="INTERNES",
        label=_("Pré-choix : demande par terrain"),
        url_name="pre_choice_demand",
        permission="choices.view_activityline",
        order=33,
        roles=OPENING_READERS,
        refusal=_(
            "La demande du pré-choix est suivie par l'ARS, la faculté et l'État."
        ),
    )
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS",
        label=_("Mes vœux (amphi de choix)"),
        url_name="my_wishes",
        permission="choices.add_wishlist",
        order=5,
        roles=(Role.RESIDENT,),
        refusal=_("Cette page est celle des internes."),
    )
)
