"""Semester activity pages beyond the generic screen: its summary (counts per DES,
phase and situation, with the prefill for the registry) and the resident's own
declaration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from domains.cockpit.views import door, errors_text, get_record, get_screen, save_form
from domains.people.models import Function
from domains.referential.selectors import perimeter_subdivisions

from . import selectors, services
from .forms import AdjustmentForm, DeclarationForm
from .models import ActivityKind, ActivityStatus, CallListStatus

SLUG = "activite-semestrielle"


def _active_subdivision(request):
    function = (
        Function.objects.filter(pk=getattr(request.actor.function, "pk", None))
        .select_related("subdivision__region")
        .first()
    )
    return function.subdivision if function else None


@door("activity_summary")
def activity_summary(request):
    semester = selectors.coming_semester()
    lines = selectors.visible_activity_lines(request.user).filter(semester=semester)
    counts = selectors.activity_counts(lines)
    subdivision = _active_subdivision(request)
    return render(
        request,
        "choices/activity_summary.html",
        {
            "semester": semester,
            "counts": counts,
            "kinds": ActivityKind.choices,
            "total": lines.count(),
            "pending": lines.exclude(status=ActivityStatus.VALIDATED).count(),
            "may_prefill": subdivision is not None
            and request.actor.has_perm("choices.change_activityline"),
            # The ARS establishes the call lists of one of its subdivisions.
            "call_list_subdivisions": perimeter_subdivisions(request.user)
            if request.actor.has_perm("choices.change_calllist")
            else [],
            "subdivision": subdivision,
            "list_url": reverse("cockpit:activite_semestrielle_list"),
        },
    )


@door("activity_summary")
@require_POST
def activity_prefill(request):
    semester = selectors.coming_semester()
    subdivision = _active_subdivision(request)
    if semester is None or subdivision is None:
        messages.error(request, _("Aucun semestre à préparer pour votre fonction."))
    else:
        written = services.activity_prefill(
            by=request.user, subdivision=subdivision, semester=semester
        )
        messages.success(
            request,
            ngettext(
                "%(n)d ligne préparée pour %(semester)s.",
                "%(n)d lignes préparées pour %(semester)s.",
                written,
            )
            % {"n": written, "semester": semester},
        )
    return redirect(reverse("cockpit:activity_summary"))


@door("my_activity")
def my_activity(request):
    """Mon semestre prochain: what SIIMOP proposes for her, and her declaration."""
    semester = selectors.coming_semester()
    line = (
        selectors.visible_activity_lines(request.user)
        .filter(resident__person__user=request.user, semester=semester)
        .first()
    )
    form = None
    if line is not None and line.status != ActivityStatus.VALIDATED:
        form = DeclarationForm(
            request.POST or None,
            request=request,
            initial={"kind": line.kind, "reason": line.reason},
        )
        if request.method == "POST" and form.is_valid():
            saved = save_form(
                form,
                lambda: services.activity_declare(
                    by=request.user,
                    line=line,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if saved:
                messages.success(
                    request,
                    _("Votre déclaration est enregistrée : la scolarité la validera."),
                )
                return redirect(reverse("cockpit:my_activity"))
    elif request.method == "POST":
        raise PermissionDenied(_("Votre situation est déjà validée."))
    return render(
        request,
        "choices/my_activity.html",
        {
            "semester": semester,
            "line": line,
            "form": form,
            "place": selectors.my_call_place(request.user, semester)
            if semester
            else None,
        },
    )


@door("opening_coverage")
def opening_coverage(request):
    """Ouverture des postes: the 107 % rule per DES and phase, live."""
    semester = selectors.coming_semester()
    rows = selectors.coverage_rows(request.user, semester) if semester else []
    return render(
        request,
        "choices/opening_coverage.html",
        {
            "semester": semester,
            "rows": rows,
            "unmet": sum(1 for row in rows if not row["line"].met),
        },
    )


CALL_LISTS_SLUG = "listes-d-appel"


def call_list_context(request, call_list) -> dict:
    entries = list(
        call_list.entries.select_related("resident__person").order_by("position")
    )
    may_adjust = call_list.status == CallListStatus.DRAFT and request.actor.has_perm(
        "choices.change_calllist"
    )
    return {
        "entries": entries,
        "adjust_form": AdjustmentForm(request=request, entries=entries)
        if may_adjust
        else None,
    }


@login_required
@require_POST
def call_lists_compute(request):
    """The ARS establishes (or recomputes) a subdivision's call lists."""
    semester = selectors.coming_semester()
    subdivision = (
        perimeter_subdivisions(request.user)
        .filter(pk=request.POST.get("subdivision"))
        .first()
    )
    if semester is None or subdivision is None:
        messages.error(request, _("Choisissez une subdivision de votre périmètre."))
        return redirect(reverse("cockpit:activity_summary"))
    try:
        written = services.call_lists_compute(
            by=request.user, subdivision=subdivision, semester=semester
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("cockpit:activity_summary"))
    messages.success(
        request,
        ngettext(
            "%(n)d liste d'appel établie pour %(s)s.",
            "%(n)d listes d'appel établies pour %(s)s.",
            written,
        )
        % {"n": written, "s": subdivision},
    )
    return redirect(reverse("cockpit:listes_d_appel_list") + f"?semester={semester.pk}")


@login_required
@require_POST
def call_list_adjust(request, pk: int):
    screen = get_screen(CALL_LISTS_SLUG)
    call_list = get_record(request, screen, pk, "change")
    entries = list(call_list.entries.select_related("resident__person"))
    form = AdjustmentForm(request.POST, request=request, entries=entries)
    if form.is_valid() and save_form(
        form,
        lambda: services.call_list_adjust(
            by=request.user,
            call_list=call_list,
            resident_id=form.cleaned_data["resident"],
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, _("Rang fixé ; la liste est recalculée autour."))
    else:
        messages.error(request, errors_text(form))
    return redirect(call_list.get_absolute_url())
