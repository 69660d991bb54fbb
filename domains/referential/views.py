"""Cockpit pages of the referential beyond the generic ones: merge, site people, summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from domains.cockpit.views import (
    form_page,
    get_record,
    get_screen,
    require,
    save_form,
    screen_url,
)
from domains.people.models import Function
from domains.people.roles import SITE_ROLES
from domains.people.services import function_end, function_grant, person_contact_update

from . import services
from .forms import ContactForm, EstablishmentMergeForm, SiteFunctionForm
from .models import Phase, Semester
from .selectors import current_semester, visible_posts


@login_required
def establishment_merge(request, pk: int):
    screen = get_screen("etablissements")
    kept = get_record(request, screen, pk, "change")
    form = EstablishmentMergeForm(request.POST or None, request=request, kept=kept)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        get_record(request, screen, duplicate.pk, "change")
        label = str(duplicate)
        if save_form(
            form,
            lambda: services.establishment_merge(
                kept=kept, duplicate=duplicate, by=request.user
            ),
        ):
            messages.success(
                request, _("« %s » a été fusionné dans cet établissement.") % label
            )
            return redirect(screen_url(screen, "detail", pk=kept.pk))
    return form_page(
        request,
        screen,
        form,
        obj=kept,
        title=_("Fusionner un doublon dans : %s") % kept,
    )


def _site_function(request, site, function_pk: int) -> Function:
    return get_object_or_404(
        Function.objects.select_related("person"),
        pk=function_pk,
        training_site=site,
        role__in=SITE_ROLES,
    )


@login_required
def site_contact(request, pk: int, function_pk: int):
    """The RTS or the ARS updates how to reach someone working on the site."""
    screen = get_screen("terrains-de-stage")
    site = get_record(request, screen, pk, "change")
    person = _site_function(request, site, function_pk).person
    form = ContactForm(
        request.POST or None,
        request=request,
        initial={"email": person.primary_email, "phone": person.phone},
    )
    if request.method == "POST" and form.is_valid():
        if save_form(
            form,
            lambda: person_contact_update(
                person=person,
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                by=request.user,
            ),
        ):
            messages.success(
                request, _("Coordonnées de %s mises à jour.") % person.full_name
            )
            return redirect(screen_url(screen, "detail", pk=site.pk))
    return form_page(
        request, screen, form, obj=site, title=_("Coordonnées de %s") % person.full_name
    )


@login_required
def site_function_add(request, pk: int):
    """Name a supervisor, a practitioner (MSU) or an assistant on the site."""
    screen = get_screen("terrains-de-stage")
    site = get_record(request, screen, pk, "change")
    form = SiteFunctionForm(
        request.POST or None,
        request=request,
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        if save_form(
            form,
            lambda: function_grant(
                person=form.person,
                role=form.cleaned_data["role"],
                start_date=form.cleaned_data["start_date"],
                training_site=site,
                by=request.user,
            ),
        ):
            messages.success(
                request, _("Fonction attribuée à %s.") % form.person.full_name
            )
            return redirect(screen_url(screen, "detail", pk=site.pk))
    return form_page(
        request, screen, form, obj=site, title=_("Ajouter une personne au terrain")
    )


@login_required
@require_POST
def site_function_end(request, pk: int, function_pk: int):
    screen = get_screen("terrains-de-stage")
    site = get_record(request, screen, pk, "change")
    function = _site_function(request, site, function_pk)
    function_end(function=function, by=request.user)
    messages.success(
        request,
        _("Fonction de %(name)s terminée au %(day)s.")
        % {
            "name": function.person.full_name,
            "day": function.end_date.strftime("%d/%m/%Y"),
        },
    )
    return redirect(screen_url(screen, "detail", pk=site.pk))


@login_required
def posts_summary(request):
    """Seats per specialty and phase for a semester, within the person's perimeter."""
    screen = get_screen("postes")
    require(request, screen, "view")
    semesters = Semester.objects.all()
    chosen = request.GET.get("semester")
    semester = (
        get_object_or_404(Semester, pk=chosen)
        if chosen and chosen.isdigit()
        else current_semester()
    )
    phases = list(Phase.objects.all())
    totals = (
        visible_posts(request.user)
        .filter(semester=semester)
        .values("specialty__label", "phase_id")
        .annotate(seats=Sum("seats"))
        .order_by("specialty__label")
    )
    table: dict[str, dict[int, int]] = {}
    for row in totals:
        table.setdefault(row["specialty__label"], {})[row["phase_id"]] = row["seats"]
    lines = [
        (label, [by_phase.get(p.pk, 0) for p in phases], sum(by_phase.values()))
        for label, by_phase in table.items()
    ]
    column_totals = [sum(line[1][i] for line in lines) for i in range(len(phases))]
    return render(
        request,
        "referential/posts_summary.html",
        {
            "screen": screen,
            "semester": semester,
            "semesters": semesters,
            "phases": phases,
            "lines": lines,
            "column_totals": column_totals,
            "grand_total": sum(column_totals),
        },
    )
