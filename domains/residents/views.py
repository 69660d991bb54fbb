"""Residents' views beyond the generic screens: Mon parcours, requests' steps,
documents, mass operations, jury sheet, statistics, and the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from domains.cockpit.export import pdf_response, xlsx_response
from domains.cockpit.views import (
    door,
    errors_text,
    get_record,
    get_screen,
    save_form,
    screen_url,
)
from domains.people.models import Function
from domains.people.roles import Role

from . import selectors
from . import statistics as stats
from .documents import document_issue
from .forms import (
    DecisionForm,
    OpinionForm,
    SituationRecordForm,
    SituationRequestForm,
)
from .models import (
    OPEN_SITUATION_STATUSES,
    DocumentKind,
    IssuedDocument,
    MassOperation,
    Resident,
    SituationKind,
)
from .permissions import document_issue_refusal, may_issue_documents
from .ranks import remorse_rank_check
from .selectors import current_enrolment, resident_path, visible_residents
from .services import (
    mass_operation_undo,
    situation_request,
)


def _current_specialty(resident):
    enrolment = current_enrolment(resident)
    return enrolment.specialty if enrolment else None


def resident_context(request, resident) -> dict:
    may_record = request.actor.can(get_screen("internes"), "change", resident)
    path = resident_path(resident)
    specialty = path.enrolment.specialty if path.enrolment else None
    return {
        "path": path,
        "document_kinds": DocumentKind.choices,
        "may_issue_documents": may_issue_documents(request.user, resident),
        "record_form": SituationRecordForm(current_specialty=specialty)
        if may_record
        else None,
    }


def _request_from(form, resident, user):
    data = form.cleaned_data
    return situation_request(
        resident=resident,
        kind=data["kind"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        motive=data["motive"],
        leave_reason=data["leave_reason"],
        target_specialty=data["target_specialty"],
        target_subdivision=data["target_subdivision"],
        documents=[data["document"]] if data["document"] else [],
        by=user,
    )


@login_required
@require_http_methods(["POST"])
def situation_record(request, pk: int):
    """Staff record a situation on the resident's page; it then follows its workflow."""
    resident = get_record(request, get_screen("internes"), pk, "change")
    form = SituationRecordForm(
        request.POST, request.FILES, current_specialty=_current_specialty(resident)
    )
    created = form.is_valid() and save_form(
        form, lambda: _request_from(form, resident, request.user)
    )
    if created:
        messages.success(request, _("Situation enregistrée : décidez-la ci-dessous."))
        return redirect(screen_url(get_screen("situations"), "detail", pk=created.pk))
    messages.error(request, errors_text(form))
    return redirect(screen_url(get_screen("internes"), "detail", pk=pk))


def situation_context(request, situation) -> dict:
    """What the decider needs (the resident, her DES, phase and seniority, the stated
    reason, her other situations), and the form of the declared decision (screens.py)
    this person takes, drawn when the page offers it: the coordinator's opinion, the
    others' decision."""
    role = request.actor.function.role if request.actor.function else None
    coordinator = role == Role.COORDINATOR
    path = resident_path(situation.resident)
    return {
        "path": path,
        "other_situations": [s for s in path.situations if s.pk != situation.pk],
        "opinion_form": OpinionForm() if coordinator else None,
        "decision_form": None if coordinator else DecisionForm(),
        # Droit au remords: her rank against the last rank admitted, or why it cannot
        # be checked yet, for the decider to read (never a silent pass).
        "rank_check": remorse_rank_check(situation.resident, situation.target_specialty)
        if situation.kind == SituationKind.SPECIALTY_CHANGE
        and situation.target_specialty_id
        else None,
    }


@door("my_path")
@require_http_methods(["GET", "POST"])
def my_path(request):
    """Mon parcours: the resident's own path, requests and documents."""
    resident = Resident.objects.filter(person__user=request.user).first()
    if resident is None:
        raise PermissionDenied(_("Cette page est celle des internes."))
    form = SituationRequestForm(
        request.POST or None,
        request.FILES or None,
        current_specialty=_current_specialty(resident),
    )
    if request.method == "POST" and form.is_valid():
        created = save_form(form, lambda: _request_from(form, resident, request.user))
        if created:
            messages.success(
                request,
                _("Votre demande est envoyée : vous serez informé(e) de la décision."),
            )
            return redirect(reverse("cockpit:my_path"))
    path = resident_path(resident)
    return render(
        request,
        "residents/my_path.html",
        {
            "path": path,
            "form": form,
            # Her requests still open: she may withdraw them (screens.py, "retirer").
            "withdrawable": [
                s.pk for s in path.situations if s.status in OPEN_SITUATION_STATUSES
            ],
            "document_kinds": DocumentKind.choices,
            "may_issue_documents": may_issue_documents(request.user, resident),
        },
    )


@login_required
def document_download(request, pk: int, kind: str):
    """Issue an official document: seeing the resident's path is not enough."""
    resident = get_record(request, get_screen("internes"), pk, "view")
    if kind not in DocumentKind.values:
        raise Http404
    refusal = document_issue_refusal(request.user, resident)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        content, document = document_issue(
            resident=resident, kind=kind, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        back = request.META.get("HTTP_REFERER", "")
        if not back.startswith(request.build_absolute_uri("/")):
            back = reverse("cockpit:internes_detail", args=[pk])
        return redirect(back)
    return pdf_response(content, f"{kind}-{document.code}")


def verify_document(request, code: str):
    """Public: confirms a document's authenticity, showing no more than its summary."""
    document = IssuedDocument.objects.filter(code=code.strip().upper()).first()
    return render(
        request,
        "residents/verify.html",
        {"document": document, "code": code},
        status=200 if document else 404,
    )


@login_required
def mass_operations(request):
    screen = get_screen("internes")
    if not request.actor.can(screen, "change"):
        raise PermissionDenied
    operations = MassOperation.objects.filter(by=request.user).select_related("by")[:50]
    return render(
        request,
        "residents/mass_operations.html",
        {"operations": operations, "today": timezone.localdate(), "screen": screen},
    )


@login_required
@require_http_methods(["POST"])
def mass_operation_cancel(request, operation_pk: int):
    operation = get_object_or_404(MassOperation, pk=operation_pk, by=request.user)
    try:
        mass_operation_undo(operation=operation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Traitement annulé."))
    return redirect(reverse("cockpit:internes_operations"))


@login_required
def jury_sheet(request):
    """The jury preparation sheet: residents due for a phase change, per specialty."""
    screen = get_screen("internes")
    if not request.actor.can(screen, "view"):
        raise PermissionDenied
    rows = stats.due_for_phase_change(visible_residents(request.user))
    return xlsx_response(
        "jury-changement-de-phase",
        "Jury",
        [
            "Nom",
            "Prénom",
            "DES",
            "Phase",
            "Début de phase",
            "Fin prévue",
            "Semestres validés dans la phase",
            "Stages non validés",
        ],
        rows,
    )


@door("resident_statistics")
def statistics(request):
    """DGOS: national figures; an ARS: her region (the selector decides)."""
    residents = visible_residents(request.user)
    year = request.GET.get("annee")
    region = request.GET.get("region")
    figures = stats.dashboard(
        residents,
        year=int(year) if year and year.isdigit() else None,
        region=int(region) if region and region.isdigit() else None,
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "statistiques-internes",
            "Statistiques",
            ["Indicateur", "Catégorie", "Nombre"],
            [
                [chart.title, label, value]
                for chart in figures.charts
                for label, value in chart.rows
            ],
        )
    return render(request, "residents/statistics.html", {"figures": figures})


@door("hospital_dashboard")
def hospital_dashboard(request):
    """Tableau de bord CH/CHU: the active function's establishment at a glance."""
    function = (
        Function.objects.filter(pk=request.actor.function.pk)
        .select_related("establishment")
        .first()
    )
    return render(
        request,
        "residents/hospital_dashboard.html",
        {
            "board": selectors.hospital_dashboard(
                request.user, function.establishment if function else None
            )
        },
    )
