"""Semester activity pages beyond the generic screen: its summary (counts per DES,
phase and situation, with the prefill for the registry) and the resident's own
declaration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from domains.cockpit.export import pdf_response, xlsx_response
from domains.cockpit.registry import registry
from domains.cockpit.views import door, errors_text, get_record, get_screen, save_form
from domains.people.models import Function
from domains.referential.selectors import perimeter_subdivisions

from . import documents, selectors, services
from .forms import (
    AddResidentForm,
    AdjustmentForm,
    ContestAnswerForm,
    ContestForm,
    DeadlineForm,
    DeclarationForm,
    OpinionForm,
    OutOfChoiceForm,
    PublishForm,
    ReopenForm,
    SignForm,
    WishesUntilForm,
)
from .models import (
    ActivityKind,
    ActivityStatus,
    CallList,
    CallListContest,
    CallListContestStatus,
    CallListStatus,
    OpeningStatus,
)

SLUG = "activite-semestrielle"


def _posted_subdivision(request):
    """The subdivision the form names, if it lies in the asker's perimeter."""
    return (
        perimeter_subdivisions(request.user)
        .filter(pk=request.POST.get("subdivision"))
        .first()
    )


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
            "deadline": selectors.declaration_deadline(subdivision, semester)
            if subdivision and semester
            else None,
            "deadline_form": DeadlineForm(request=request)
            if subdivision is not None
            and semester is not None
            and request.actor.has_perm("choices.change_activityline")
            else None,
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


@door("activity_summary")
@require_POST
def activity_deadline(request):
    """The registry sets the day by which its residents declare."""
    semester = selectors.coming_semester()
    subdivision = _active_subdivision(request)
    form = DeadlineForm(request.POST, request=request)
    if semester is None or subdivision is None:
        messages.error(request, _("Aucun semestre à préparer pour votre fonction."))
    elif form.is_valid() and save_form(
        form,
        lambda: services.declaration_deadline_set(
            by=request.user,
            subdivision=subdivision,
            semester=semester,
            deadline=form.cleaned_data["deadline"],
        ),
    ):
        messages.success(request, _("Date limite enregistrée ; les rappels suivront."))
    else:
        messages.error(request, errors_text(form))
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
            "deadline": selectors.declaration_deadline(line.subdivision, semester)
            if line
            else None,
            **_my_call_list(request, semester),
        },
    )


def _my_call_list(request, semester) -> dict:
    """Her place, the list of her group, her contests and the form to file one."""
    place = selectors.my_call_place(request.user, semester) if semester else None
    if place is None:
        return {"place": None}
    call_list = place.call_list
    return {
        "place": place,
        "group": selectors.call_list_entries(call_list),
        "my_contests": call_list.contests.filter(resident=place.resident),
        # One pending contest at a time: she waits for its answer.
        "contest_form": ContestForm(request=request)
        if call_list.contests_open
        and not call_list.contests.filter(
            resident=place.resident, status=CallListContestStatus.OPEN
        ).exists()
        else None,
    }


@door("opening_coverage")
def opening_coverage(request):
    """Ouverture des postes: the 107 % rule per DES and phase, live."""
    semester = selectors.coming_semester()
    rows = (
        selectors.coverage_rows(selectors.opening_coverage(request.user, semester))
        if semester
        else []
    )
    return render(
        request,
        "choices/opening_coverage.html",
        {
            "semester": semester,
            "rows": rows,
            "unmet": sum(1 for row in rows if not row["line"].met),
            "posts_url": reverse("cockpit:postes_list")
            + (f"?semester={semester.pk}" if semester else ""),
            "openings": selectors.visible_openings(request.user).filter(
                semester=semester
            )
            if semester
            else [],
            # The ARS prepares the opening of each of its subdivisions.
            "subdivisions": perimeter_subdivisions(request.user)
            if semester and request.actor.has_perm("choices.change_postopening")
            else [],
            # Where the region's rules are kept (the ARS) or read (the State).
            "rules_url": reverse("cockpit:regles_ouverture_list")
            if request.actor.has_perm("choices.view_openingrule")
            else "",
        },
    )


CALL_LISTS_SLUG = "listes-d-appel"


def call_list_context(request, call_list) -> dict:
    entries = selectors.call_list_entries(call_list)
    may_adjust = call_list.status == CallListStatus.DRAFT and request.actor.has_perm(
        "choices.change_calllist"
    )
    may_answer = (
        call_list.status == CallListStatus.PUBLISHED
        and request.actor.has_perm("choices.change_calllist")
    )
    contests = list(
        call_list.contests.select_related("resident__person", "answered_by__person")
    )
    for contest in contests:
        # One form per contest: its fields' ids are its own.
        contest.answer_form = (
            ContestAnswerForm(request=request, prefix=f"contest-{contest.pk}")
            if may_answer and contest.status == CallListContestStatus.OPEN
            else None
        )
    return {
        "entries": entries,
        "adjust_form": AdjustmentForm(request=request, entries=entries)
        if may_adjust
        else None,
        "out_form": OutOfChoiceForm(request=request, entries=entries)
        if may_adjust
        else None,
        "add_form": AddResidentForm(request=request) if may_adjust else None,
        "ars_changes": selectors.ars_list_changes(call_list),
        "contests": contests,
        "reopen_form": ReopenForm(request=request) if may_answer else None,
        "publish_form": PublishForm(request=request) if may_adjust else None,
        "session_form": WishesUntilForm(request=request)
        if call_list.status == CallListStatus.FROZEN
        and request.actor.has_perm("choices.change_choicesession")
        else None,
        "session": getattr(call_list, "session", None),
        "open_contests": sum(
            1 for c in contests if c.status == CallListContestStatus.OPEN
        ),
    }


@login_required
@require_POST
def call_lists_compute(request):
    """The ARS establishes (or recomputes) a subdivision's call lists."""
    semester = selectors.coming_semester()
    subdivision = _posted_subdivision(request)
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


def _list_change(request, pk: int, form_class, service, success: str):
    """A hand change of a draft call list by the ARS: the posted form, then the
    service with the list and the form's values (it recomputes the list); back on
    the list with what was done, or why not."""
    call_list = get_record(request, get_screen(CALL_LISTS_SLUG), pk, "change")
    entries = list(call_list.entries.select_related("resident__person"))
    form = form_class(request.POST, request=request, entries=entries)
    if form.is_valid() and save_form(
        form,
        lambda: service(by=request.user, call_list=call_list, **form.cleaned_data),
    ):
        messages.success(request, success)
    else:
        messages.error(request, errors_text(form))
    return redirect(call_list.get_absolute_url())


@login_required
@require_POST
def call_list_adjust(request, pk: int):
    return _list_change(
        request,
        pk,
        AdjustmentForm,
        lambda resident, **values: services.call_list_adjust(
            resident_id=resident, **values
        ),
        _("Rang fixé ; la liste est recalculée autour."),
    )


@login_required
@require_POST
def call_list_out_of_choice(request, pk: int):
    return _list_change(
        request,
        pk,
        OutOfChoiceForm,
        lambda resident, **values: services.call_list_put_out_of_choice(
            resident_id=resident, **values
        ),
        _("Interne placée hors choix ; la liste est recalculée sans elle."),
    )


@login_required
@require_POST
def call_list_add_resident(request, pk: int):
    return _list_change(
        request,
        pk,
        AddResidentForm,
        services.call_list_add_resident,
        _("Interne ajoutée ; la liste est recalculée avec elle."),
    )


# Call lists: documents and contests --------------------------------------------------


def _call_list_document(request, pk: int, fmt: str):
    """The call list as PDF or XLSX: for who reads the list, and for a resident on a
    published one (the list of her group)."""
    call_list = (
        CallList.objects.select_related(
            "semester", "subdivision", "specialty", "group", "phase"
        )
        .filter(pk=pk)
        .first()
    )
    if call_list is None:
        raise Http404
    on_it = (
        call_list.status != CallListStatus.DRAFT
        and call_list.entries.filter(resident__person__user=request.user).exists()
    )
    if not on_it:
        get_record(request, get_screen(CALL_LISTS_SLUG), pk, "view")
    filename = slugify(f"liste-d-appel-{call_list}")
    if fmt == "pdf":
        return pdf_response(documents.call_list_pdf(call_list), filename)
    return xlsx_response(
        filename,
        call_list.who,
        documents.call_list_headers(call_list),
        documents.call_list_rows(call_list),
    )


@login_required
def call_list_pdf(request, pk: int):
    return _call_list_document(request, pk, "pdf")


@login_required
def call_list_xlsx(request, pk: int):
    return _call_list_document(request, pk, "xlsx")


@door("my_activity")
@require_POST
def call_list_contest(request):
    """The resident contests her place, from Mon semestre prochain."""
    semester = selectors.coming_semester()
    place = selectors.my_call_place(request.user, semester) if semester else None
    if place is None:
        messages.error(request, _("Vous n'êtes sur aucune liste d'appel publiée."))
        return redirect(reverse("cockpit:my_activity"))
    form = ContestForm(request.POST, request=request)
    if form.is_valid() and save_form(
        form,
        lambda: services.call_list_contest_file(
            by=request.user, call_list=place.call_list, text=form.cleaned_data["text"]
        ),
    ):
        messages.success(
            request, _("Votre contestation est transmise à l'ARS, qui vous répondra.")
        )
    else:
        messages.error(request, errors_text(form))
    return redirect(reverse("cockpit:my_activity"))


@login_required
@require_POST
def call_list_contest_answer(request, pk: int, contest: int):
    call_list = get_record(request, get_screen(CALL_LISTS_SLUG), pk, "change")
    record = get_object_or_404(CallListContest, pk=contest, call_list=call_list)
    form = ContestAnswerForm(request.POST, request=request, prefix=f"contest-{contest}")
    if form.is_valid() and save_form(
        form,
        lambda: services.call_list_contest_answer(
            by=request.user, contest=record, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Réponse enregistrée ; l'interne est prévenue."))
    else:
        messages.error(request, errors_text(form))
    return redirect(call_list.get_absolute_url())


# Post opening ------------------------------------------------------------------------

OPENINGS_SLUG = "ouvertures"


def opening_context(request, opening) -> dict:
    lines = selectors.subdivision_coverage(opening.subdivision, opening.semester)
    opinions = list(opening.opinions.select_related("specialty", "by"))
    mine = selectors.opinion_specialties(request.user, opening)
    draft = opening.status == OpeningStatus.DRAFT
    return {
        "rows": selectors.coverage_rows(lines),
        "unmet": sum(1 for line in lines if not line.met),
        "opinions": opinions,
        "opinion_form": OpinionForm(request=request, specialties=mine)
        if draft and mine
        else None,
        "may_prepare": draft
        and request.actor.can(get_screen(OPENINGS_SLUG), "change", opening),
        "sign_form": SignForm(request=request) if draft else None,
        "posts_url": reverse("cockpit:postes_list")
        + f"?semester={opening.semester_id}&subdivision={opening.subdivision_id}",
        "create_url": reverse("cockpit:postes_create")
        + f"?semester={opening.semester_id}"
        if draft and request.actor.has_perm("referential.add_post")
        else "",
        "announcements": registry.public_pages(opening),
    }


@login_required
@require_POST
def opening_start(request):
    """The ARS prepares the opening of one of its subdivisions for the coming semester."""
    semester = selectors.coming_semester()
    subdivision = _posted_subdivision(request)
    if semester is None or subdivision is None:
        messages.error(request, _("Choisissez une subdivision de votre périmètre."))
        return redirect(reverse("cockpit:opening_coverage"))
    opening = services.opening_start(
        by=request.user, semester=semester, subdivision=subdivision
    )
    return redirect(opening.get_absolute_url())


@login_required
@require_POST
def opening_copy(request, pk: int):
    opening = get_record(request, get_screen(OPENINGS_SLUG), pk, "change")
    try:
        copied, skipped = services.opening_copy_previous(
            by=request.user, opening=opening
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(opening.get_absolute_url())
    messages.success(
        request,
        ngettext(
            "%(n)d poste repris du semestre précédent.",
            "%(n)d postes repris du semestre précédent.",
            copied,
        )
        % {"n": copied},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d poste non repris : %(list)s",
                "%(n)d postes non repris : %(list)s",
                len(skipped),
            )
            % {"n": len(skipped), "list": " ; ".join(skipped)},
        )
    return redirect(opening.get_absolute_url())


@login_required
@require_POST
def opening_opinion(request, pk: int):
    opening = get_record(request, get_screen(OPENINGS_SLUG), pk, "view")
    mine = selectors.opinion_specialties(request.user, opening)
    if not mine:
        raise PermissionDenied(
            _("Seuls les coordonnateurs d'un DES de la subdivision donnent un avis.")
        )
    form = OpinionForm(request.POST, request=request, specialties=mine)
    if form.is_valid() and save_form(
        form,
        lambda: services.opening_opinion_give(
            by=request.user,
            opening=opening,
            specialty=next(s for s in mine if s.pk == form.cleaned_data["specialty"]),
            opinion=form.cleaned_data["opinion"],
            comment=form.cleaned_data["comment"],
        ),
    ):
        messages.success(request, _("Votre avis est enregistré ; l'ARS le voit."))
    else:
        messages.error(request, errors_text(form))
    return redirect(opening.get_absolute_url())


def _opening_document(request, pk: int, fmt: str):
    opening = get_record(request, get_screen(OPENINGS_SLUG), pk, "view")
    name = slugify(f"ouverture-{opening.subdivision}-{opening.semester}")
    if fmt == "arrete":
        if not opening.decree:
            messages.error(request, _("L'arrêté n'est pas encore signé."))
            return redirect(opening.get_absolute_url())
        return FileResponse(
            opening.decree.open("rb"),
            as_attachment=True,
            filename=f"arrete-{name}.pdf",
            content_type="application/pdf",
        )
    if fmt == "compte-rendu":
        lines = selectors.subdivision_coverage(opening.subdivision, opening.semester)
        return pdf_response(
            documents.minutes_pdf(
                opening,
                lines,
                selectors.coverage_labels(lines),
                list(opening.opinions.select_related("specialty")),
            ),
            f"compte-rendu-{name}",
        )
    return xlsx_response(
        f"postes-{name}",
        str(opening.subdivision),
        [str(h) for h in documents.POST_HEADERS],
        documents.opening_rows(opening),
    )


@login_required
def opening_decree(request, pk: int):
    return _opening_document(request, pk, "arrete")


@login_required
def opening_minutes(request, pk: int):
    return _opening_document(request, pk, "compte-rendu")


@login_required
def opening_xlsx(request, pk: int):
    return _opening_document(request, pk, "xlsx")


@door("opening_national")
def opening_national(request):
    """DGOS: the 107 % rule per region and DES, nationally, for the coming semester."""
    semester = selectors.coming_semester()
    lines = selectors.national_coverage(semester) if semester else []
    return render(
        request,
        "choices/opening_national.html",
        {
            "semester": semester,
            "lines": lines,
            "unmet": sum(1 for line in lines if not line.met),
            "regions": len({line.region for line in lines}),
        },
    )
