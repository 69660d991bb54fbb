"""Residents in the cockpit: INTERNES (list, page, stages, requests), Mon parcours,
statistics."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from domains.cockpit.registry import (
    BulkAction,
    Decision,
    MenuEntry,
    Screen,
    counted,
    registry,
)
from domains.people.roles import Role

from . import views
from .filters import PlacementFilter, ResidentFilter, SituationFilter
from .forms import (
    DayForm,
    DecisionForm,
    LastAdmittedRankForm,
    OpinionForm,
    PhaseChangeForm,
    PlacementValidationForm,
    RefusalForm,
    ReplacementThresholdForm,
)
from .models import (
    OPEN_SITUATION_STATUSES,
    LastAdmittedRank,
    MassOperation,
    Placement,
    ReplacementThreshold,
    Resident,
    SpecialSituation,
)
from .permissions import placement_perimeter, resident_perimeter, situation_perimeter
from .ranks import last_admitted_rank_perimeter, visible_last_admitted_ranks
from .reference_filters import LastAdmittedRankFilter, ReplacementThresholdFilter
from .replacement import (
    replacement_threshold_perimeter,
    visible_replacement_thresholds,
)
from .selectors import (
    phase_states,
    residents_for_list,
    visible_placements,
    visible_situations,
)
from .services import (
    enrolment_dates_many,
    last_admitted_rank_delete,
    phase_change_many,
    placements_validate,
    replacement_threshold_delete,
    situation_decide,
    situation_give_opinion,
    situation_withdraw,
)
from .tables import (
    LastAdmittedRankTable,
    PlacementTable,
    ReplacementThresholdTable,
    ResidentTable,
    SituationTable,
)

SECTION = "INTERNES"


def situation_is_open(situation) -> bool:
    return situation.status in OPEN_SITUATION_STATUSES


def _phase_preview(user, records) -> dict[int, str]:
    """Per resident, whether the jury may validate her phase, and if not why."""
    return {state.resident.pk: state.note() for state in phase_states(records)}


def _mass(service, **fixed):
    def run(user, records, **params):
        return service(residents=list(records), by=user, **fixed, **params).count

    return run


residents = registry.register_screen(
    Screen(
        slug="internes",
        model=Resident,
        label=_("Internes"),
        section=SECTION,
        order=10,
        table_class=ResidentTable,
        filterset_class=ResidentFilter,
        selector=residents_for_list,
        perimeter_objects=resident_perimeter,
        detail_template="residents/resident_detail.html",
        detail_context=views.resident_context,
        export_columns=[
            (_("Nom"), "person.last_name"),
            (_("Prénom"), "person.first_name"),
            (_("DES"), "specialty_label"),
            (_("Phase"), "phase_label"),
            (_("Subdivision"), "subdivision.name"),
            (_("Faculté"), "faculty.name"),
            (_("Promotion"), "cohort"),
            (_("Rang"), "national_rank"),
            (_("CESP"), "cesp"),
        ],
        bulk_actions=[
            BulkAction(
                name="phase",
                label=_("Changement de phase (décision du jury)"),
                permission="change",
                run=_mass(phase_change_many),
                form_class=PhaseChangeForm,
                preview=_phase_preview,
                confirm=counted(
                    ngettext_lazy(
                        "Enregistrer la décision du jury pour cet interne ?",
                        "Enregistrer la décision du jury pour ces %(count)d internes ?",
                        "count",
                    ),
                    then=_(
                        "Tout ou rien : si un interne ne remplit pas les conditions, "
                        "rien n'est enregistré. Annulable le jour même."
                    ),
                ),
            ),
            BulkAction(
                name="thesis",
                label=_("Soutenance de thèse"),
                permission="change",
                run=lambda user, records, day: (
                    enrolment_dates_many(
                        residents=list(records),
                        kind=MassOperation.Kind.THESIS,
                        day=day,
                        by=user,
                    ).count
                ),
                form_class=DayForm,
                confirm=counted(
                    ngettext_lazy(
                        "Enregistrer la soutenance de thèse de cet interne ?",
                        "Enregistrer la soutenance de thèse de ces %(count)d internes ?",
                        "count",
                    ),
                    then=_("Annulable le jour même."),
                ),
            ),
            BulkAction(
                name="diploma",
                label=_("Obtention du diplôme"),
                permission="change",
                run=lambda user, records, day: (
                    enrolment_dates_many(
                        residents=list(records),
                        kind=MassOperation.Kind.DIPLOMA,
                        day=day,
                        by=user,
                    ).count
                ),
                form_class=DayForm,
                confirm=counted(
                    ngettext_lazy(
                        "Enregistrer l'obtention du diplôme de cet interne ?",
                        "Enregistrer l'obtention du diplôme de ces %(count)d internes ?",
                        "count",
                    ),
                    then=_("Annulable le jour même."),
                ),
            ),
        ],
        extra_urls=[
            path(
                "<int:pk>/documents/<str:kind>/",
                views.document_download,
                name="internes_document",
            ),
            path("traitements/", views.mass_operations, name="internes_operations"),
            path(
                "traitements/<int:operation_pk>/annuler/",
                views.mass_operation_cancel,
                name="internes_operation_undo",
            ),
            path("jury/", views.jury_sheet, name="internes_jury"),
            path(
                "<int:pk>/situation/",
                views.situation_record,
                name="internes_situation_record",
            ),
        ],
    )
)


def _validate_all(user, records, **params):
    return placements_validate(
        decisions=[{"placement": p, "validated": True} for p in records], by=user
    )


def _refuse_all(user, records, reasons):
    return placements_validate(
        decisions=[
            {"placement": p, "validated": False, "reasons": reasons} for p in records
        ],
        by=user,
    )


def _residents_of(placements) -> int:
    """How many residents these stages are of (the confirmation says it)."""
    return len({p.resident_id for p in placements})


registry.register_screen(
    Screen(
        slug="stages",
        model=Placement,
        label=_("Stages et validations"),
        section=SECTION,
        order=20,
        table_class=PlacementTable,
        filterset_class=PlacementFilter,
        selector=visible_placements,
        perimeter_objects=placement_perimeter,
        form_class=PlacementValidationForm,
        bulk_actions=[
            BulkAction(
                name="validate",
                label=_("Valider les stages"),
                permission="change",
                run=_validate_all,
                confirm=counted(
                    ngettext_lazy(
                        "Valider ce stage ?", "Valider ces %(count)d stages ?", "count"
                    ),
                    people=ngettext_lazy(
                        "%(count)d interne concerné.",
                        "%(count)d internes concernés.",
                        "count",
                    ),
                    concerned=_residents_of,
                ),
            ),
            BulkAction(
                name="refuse",
                label=_("Ne pas valider les stages"),
                permission="change",
                run=_refuse_all,
                form_class=RefusalForm,
                confirm=counted(
                    ngettext_lazy(
                        "Ne pas valider ce stage ?",
                        "Ne pas valider ces %(count)d stages ?",
                        "count",
                    ),
                    people=ngettext_lazy(
                        "%(count)d interne concerné.",
                        "%(count)d internes concernés.",
                        "count",
                    ),
                    concerned=_residents_of,
                ),
            ),
        ],
    )
)

situations = registry.register_screen(
    Screen(
        slug="situations",
        model=SpecialSituation,
        label=_("Situations particulières"),
        section=SECTION,
        order=30,
        table_class=SituationTable,
        filterset_class=SituationFilter,
        selector=visible_situations,
        perimeter_objects=situation_perimeter,
        detail_template="residents/situation_detail.html",
        detail_context=views.situation_context,
        decisions=[
            # The coordinator of her DES gives an opinion...
            Decision(
                name="avis",
                label=_("Donner mon avis"),
                run=lambda by, situation, opinion, comment: situation_give_opinion(
                    situation=situation, opinion=opinion, comment=comment, by=by
                ),
                success=_("Avis enregistré."),
                form=lambda request, situation: OpinionForm(request.POST),
                applies=situation_is_open,
            ),
            # ...the faculty registry (or the ARS) decides...
            Decision(
                name="decider",
                label=_("Décider"),
                run=lambda by, situation, approve, comment: situation_decide(
                    situation=situation, approve=approve, comment=comment, by=by
                ),
                success=_(
                    "Décision enregistrée ; l'interne en est informé par e-mail."
                ),
                form=lambda request, situation: DecisionForm(request.POST),
                applies=situation_is_open,
            ),
            # ...and the resident may withdraw it meanwhile (she alone may ask).
            Decision(
                name="retirer",
                label=_("Retirer ma demande"),
                run=lambda by, situation: situation_withdraw(
                    situation=situation, by=by
                ),
                success=_("Demande retirée."),
                permission="add",
                confirm=_("Retirer cette demande ?"),
                applies=situation_is_open,
            ),
        ],
    )
)

# The last rank admitted per DES, subdivision and cohort: the registry enters those of
# its subdivision; the droit au remords is checked against them (ranks.py).
registry.register_screen(
    Screen(
        slug="derniers-rangs-admis",
        model=LastAdmittedRank,
        label=_("Derniers rangs admis"),
        section=SECTION,
        order=35,
        table_class=LastAdmittedRankTable,
        filterset_class=LastAdmittedRankFilter,
        selector=visible_last_admitted_ranks,
        perimeter_objects=last_admitted_rank_perimeter,
        form_class=LastAdmittedRankForm,
        create_form_class=LastAdmittedRankForm,
        delete=lambda user, record: last_admitted_rank_delete(record=record, by=user),
        export_columns=[
            (_("DES"), "specialty.label"),
            (_("Subdivision"), "subdivision.name"),
            (_("Promotion"), "cohort"),
            (_("Type de classement"), "ranking_kind"),
            (_("Dernier rang admis"), "last_rank"),
            (_("Dernière position admise (%)"), "last_percentage"),
        ],
    )
)

# The Ordre's thresholds for the licence de remplacement: national, kept by UNESS.
registry.register_screen(
    Screen(
        slug="seuils-remplacement",
        model=ReplacementThreshold,
        label=_("Seuils de la licence de remplacement"),
        section=SECTION,
        order=36,
        table_class=ReplacementThresholdTable,
        filterset_class=ReplacementThresholdFilter,
        selector=visible_replacement_thresholds,
        perimeter_objects=replacement_threshold_perimeter,
        form_class=ReplacementThresholdForm,
        create_form_class=ReplacementThresholdForm,
        delete=lambda user, record: replacement_threshold_delete(
            record=record, by=user
        ),
    )
)

registry.register_urls(
    [
        path("mon-parcours/", views.my_path, name="my_path"),
        path("statistiques/internes/", views.statistics, name="resident_statistics"),
        path(
            "tableau-de-bord-etablissement/",
            views.hospital_dashboard,
            name="hospital_dashboard",
        ),
    ]
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Mon parcours"),
        url_name="my_path",
        permission="residents.add_specialsituation",
        order=0,
        roles=(Role.RESIDENT,),
        refusal=_("Cette page est celle des internes."),
    )
)
for order, (label, url_name) in enumerate(
    [
        (_("Jury : internes en fin de phase (XLSX)"), "internes_jury"),
        (_("Traitements de masse (annulation)"), "internes_operations"),
    ],
    start=40,
):
    registry.register_menu(
        MenuEntry(
            section=SECTION,
            label=label,
            url_name=url_name,
            permission="residents.change_resident",
            order=order,
        )
    )
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Statistiques"),
        url_name="resident_statistics",
        permission="residents.view_statistics",
        order=90,
    )
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Tableau de bord CH/CHU"),
        url_name="hospital_dashboard",
        permission="residents.view_placement",
        order=1,
        roles=(Role.MEDICAL_AFFAIRS, Role.ESTABLISHMENT_DIRECTOR),
        refusal=_("Ce tableau de bord est celui des établissements (DAM, direction)."),
    )
)

from . import home  # noqa: E402, F401  (the home tiles)
