"""Identity in the cockpit: MES INFORMATIONS > Connexions, PERSONNES > Demandes de compte."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.registry import MenuEntry, Screen, registry
from domains.referential.selectors import visible_training_sites

from . import views
from .filters import AccountRequestFilter, ReconciliationCaseFilter
from .forms import ApproveForm, ReconciliationForm, RefuseForm
from .models import AccountRequest, ReconciliationCase
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


def _perimeter(account_request):
    site = account_request.training_site
    if site is not None:
        return [site.subdivision, site.subdivision.region]
    return [account_request.region]


def _context(request, account_request):
    pending = account_request.status == AccountRequest.Status.PENDING
    may_decide = pending and request.actor.can(
        account_requests, "change", account_request
    )
    return {
        "may_decide": may_decide,
        "approve_form": ApproveForm(sites=visible_training_sites(request.user))
        if may_decide and account_request.training_site is None
        else None,
        "refuse_form": RefuseForm() if may_decide else None,
    }


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
        perimeter_objects=_perimeter,
        detail_template="identity/account_request_detail.html",
        detail_context=_context,
        extra_urls=[
            path(
                "<int:pk>/<str:decision>/",
                views.account_request_decide,
                name="demandes_de_compte_decide",
            ),
        ],
    )
)


def _case_context(request, case):
    candidates = case.candidates.prefetch_related(
        "emails", "legacy_ids", "functions"
    ).select_related("user")
    open_case = case.status == ReconciliationCase.Status.OPEN
    may_decide = open_case and request.actor.can(reconciliations, "change", case)
    return {
        "candidates": candidates,
        "may_decide": may_decide,
        "form": ReconciliationForm(candidates=candidates) if may_decide else None,
    }


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
        extra_urls=[
            path(
                "<int:pk>/<str:decision>/",
                views.reconciliation_decide,
                name="rapprochements_decide",
            ),
        ],
    )
)
