"""Semester activity pages beyond the generic screen: its summary (counts per DES,
phase and situation, with the prefill for the registry) and the resident's own
declaration."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from domains.cockpit.views import door, save_form
from domains.people.models import Function

from . import selectors, services
from .forms import DeclarationForm
from .models import ActivityKind, ActivityStatus

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
        {"semester": semester, "line": line, "form": form},
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
