"""What each action of the request's state machine does from a page, declared once:
the form it asks, the service it calls, what the person is told, the confirmation
asked before posting. `views.request_action` serves them all; the state machine
(workflow.py) says from which states and for whom; the service decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import (
    AttachmentForm,
    DecisionForm,
    OpinionForm,
    ProposalForm,
    ReasonForm,
    ReopenForm,
)
from .models import AccreditationRequest, AttachmentKind


@dataclass(frozen=True)
class RequestAction:
    # run(by, accreditation_request, **form.cleaned_data) calls the service
    run: Callable[..., object]
    success: str
    form: type[django_forms.Form] | None = None
    # Initial values of the form on the request's page: (user, accreditation_request)
    initial: Callable[[object, AccreditationRequest], dict] | None = None
    confirm: str = ""  # asked in the browser before posting
    # Drawn as a plain button among the request's actions (it asks nothing, or only
    # optional fields); the others' forms are placed by the page.
    button: bool = False

    def bound(self, data, files) -> django_forms.Form:
        """The posted form (an empty one when the action asks nothing: it carries the
        service's refusal)."""
        if self.form is None:
            return django_forms.Form(data={})
        return self.form(data, files)

    def unbound(self, user, accreditation_request: AccreditationRequest):
        if self.form is None:
            return None
        initial = self.initial(user, accreditation_request) if self.initial else None
        return self.form(initial=initial)


def _my_opinion(user, accreditation_request: AccreditationRequest) -> dict | None:
    person = getattr(user, "person", None)
    if person is None:
        return None
    mine = accreditation_request.opinions.filter(author=person).first()
    return {"value": mine.value, "comment": mine.comment} if mine else None


ON_PAGE: dict[str, RequestAction] = {
    "submit": RequestAction(
        run=lambda by, r: services.request_submit(by=by, accreditation_request=r),
        success=_("Dossier déposé : une nouvelle version est enregistrée."),
    ),
    "withdraw": RequestAction(
        form=ReasonForm,
        run=lambda by, r, reason: services.request_withdraw(
            by=by, accreditation_request=r, reason=reason
        ),
        success=_("Demande retirée."),
        confirm=_("Retirer la demande ? Elle ne sera pas examinée."),
        button=True,
    ),
    "reopen": RequestAction(
        form=ReopenForm,
        run=lambda by, r, until, reason: services.request_reopen(
            by=by, accreditation_request=r, until=until, reason=reason
        ),
        success=_("Dépôt rouvert pour cette demande."),
    ),
    "schedule": RequestAction(
        run=lambda by, r: services.request_schedule(by=by, accreditation_request=r),
        success=_("Demande inscrite à l'ordre du jour de la commission."),
        button=True,
    ),
    "remind": RequestAction(
        run=lambda by, r: services.requests_remind(by=by, accreditation_requests=[r]),
        success=_("Relance envoyée au responsable du terrain."),
        confirm=_("Relancer par e-mail le responsable de ce terrain de stage ?"),
        button=True,
    ),
    "opinion": RequestAction(
        form=OpinionForm,
        initial=_my_opinion,
        run=lambda by, r, value, comment: services.opinion_give(
            by=by, accreditation_request=r, value=value, comment=comment
        ),
        success=_("Avis enregistré."),
    ),
    "propose": RequestAction(
        form=ProposalForm,
        run=lambda by, r, outcome, reason: services.proposal_record(
            by=by, accreditation_request=r, outcome=outcome, reason=reason
        ),
        success=_("Proposition enregistrée."),
    ),
    "decide": RequestAction(
        form=DecisionForm,
        initial=lambda user, r: {"outcome": r.proposal},
        run=lambda by, r, **data: services.decision_record(
            by=by, accreditation_request=r, **data
        ),
        success=_(
            "Décision enregistrée : l'agrément est à jour et les courriers partent."
        ),
    ),
    "visit_report": RequestAction(
        form=AttachmentForm,
        initial=lambda user, r: {"title": _("Rapport de visite")},
        run=lambda by, r, title, file: services.attachment_add(
            by=by,
            accreditation_request=r,
            title=title,
            upload=file,
            kind=AttachmentKind.VISIT_REPORT,
        ),
        success=_("Rapport de visite déposé."),
    ),
}

# Taken from pages of their own: closing the filing (the campaign's page, every
# submitted request at once) and the dossier's pieces (the RTS's dossier page).
ELSEWHERE = {"close_filing", "attach"}
