"""Identity in the cockpit: MES INFORMATIONS > Connexions, PERSONNES > Demandes de compte."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.registry import Decision, MenuEntry, Screen, registry
from domains.referential.selectors import visible_training_sites

from . import services, views
from .filters import AccountRequestFilter, ReconciliationCaseFilter
from .forms import ApproveForm, ReconciliationForm, RefuseForm
from .models import AccountRequest, ReconciliationCase
from .permissions import account_request_perimeter
from .selectors import visible_account_requests, visible_reconciliation_cases
from .tables import AccountRequestTable, ReconciliationCaseTable

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


def _context(request, account_request):
    """The forms of the decisions that ask something (drawn when offered)."""
    return {
        "approve_form": ApproveForm(sites=visible_training_sites(request.user))
        if account_request.training_site is None
        else None,
        "refuse_form": RefuseForm(),
    }


def _pending(account_request) -> bool:
    return account_request.status == AccountRequest.Status.PENDING


account_requests = registry.register_screen(
    Screen(
        slug="demandes-de-compte",
        model=AccountRequest,
        label=_("Demandes de compte"),
        section="PERSONNES",
        order=60,
        table_class=AccountRequestTable,
        filterset_class=AccountRequestFilter,
        selector=visible_account_requests,
        perimeter_objects=account_request_perimeter,
        detail_template="identity/account_request_detail.html",
        detail_context=_context,
        decisions=[
            Decision(
                name="accepter",
                label=_("Accepter et envoyer un lien de connexion"),
                run=lambda by, account_request, training_site: (
                    services.account_request_approve(
                        account_request=account_request,
                        by=by,
                        training_site=training_site,
                    )
                ),
                form=lambda request, account_request: ApproveForm(
                    request.POST, sites=visible_training_sites(request.user)
                ),
                success=_(
                    "Demande %(record)s acceptée : un lien de connexion est envoyé "
                    "au demandeur."
                ),
                applies=_pending,
            ),
            Decision(
                name="refuser",
                label=_("Refuser"),
                run=lambda by, account_request, reason: services.account_request_refuse(
                    account_request=account_request, by=by, reason=reason
                ),
                form=lambda request, account_request: RefuseForm(request.POST),
                success=_(
                    "Demande %(record)s refusée : le motif est envoyé au demandeur."
                ),
                applies=_pending,
            ),
        ],
    )
)


def _case_context(request, case):
    candidates = case.candidates.prefetch_related(
        "emails", "legacy_ids", "functions"
    ).select_related("user")
    return {
        "candidates": candidates,
        "form": ReconciliationForm(candidates=candidates),
        "merge_confirm": reconciliations.decision("fusionner").confirm,
    }


def _open(case) -> bool:
    return case.status == ReconciliationCase.Status.OPEN


def _candidate_form(request, case):
    return ReconciliationForm(request.POST, candidates=case.candidates.all())


reconciliations = registry.register_screen(
    Screen(
        slug="rapprochements",
        model=ReconciliationCase,
        label=_("Connexions à rapprocher"),
        section="PERSONNES",
        order=70,
        table_class=ReconciliationCaseTable,
        filterset_class=ReconciliationCaseFilter,
        selector=visible_reconciliation_cases,
        perimeter_objects=lambda case: [],  # national: UNESS admins only
        detail_template="identity/reconciliation_detail.html",
        detail_context=_case_context,
        decisions=[
            Decision(
                name="fusionner",
                label=_("Fusionner dans la personne conservée"),
                run=lambda by, case, person, reason: services.reconciliation_merge(
                    case=case, kept=person, by=by, reason=reason
                ),
                form=_candidate_form,
                success=_(
                    "Personnes fusionnées : l'identité universitaire %(record)s est "
                    "rattachée à la personne conservée."
                ),
                confirm=_(
                    "Fusionner les autres personnes dans celle conservée ? Adresses, "
                    "fonctions, identifiants et historique lui seront transférés ; "
                    "cette opération ne se défait pas."
                ),
                applies=_open,
            ),
            Decision(
                name="rattacher",
                label=_("Rattacher l'identité à cette personne seulement"),
                run=lambda by, case, person, reason: services.reconciliation_link(
                    case=case, person=person, by=by
                ),
                form=_candidate_form,
                success=_(
                    "Identité universitaire %(record)s rattachée à la personne choisie."
                ),
                applies=_open,
            ),
            Decision(
                name="classer",
                label=_("Classer sans suite"),
                run=lambda by, case: services.reconciliation_dismiss(case=case, by=by),
                success=_("Rapprochement %(record)s classé sans suite."),
                applies=_open,
            ),
        ],
    )
)
