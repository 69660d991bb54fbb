"""Taking a course: enrolling, reading lessons (marked seen), answering quizzes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from domains.cockpit.export import xlsx_sheets_response

from . import badges, credentials
from .models import (
    BadgeAward,
    CourseEnrolment,
    CoursePage,
    LessonPage,
    QuizAttempt,
    QuizPage,
    RegistrationStatus,
    SessionRegistration,
    TrainingSession,
)
from .selectors import (
    attempts_left,
    attendance_sheet,
    audience_statistics,
    badges_of,
    my_enrolments,
    my_registrations,
    progress,
    sessions_trained,
    team_badges,
    training_statistics,
)
from .services import (
    attendance_record,
    can_record_attendance,
    course_enrol,
    lesson_see,
    quiz_submit,
    session_register,
    session_unregister,
)
from .tasks import session_ics


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    try:
        enrolment = course_enrol(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.url)
    messages.success(request, _("Vous êtes inscrit(e) à « %s ».") % course.title)
    step = progress(enrolment).next_step
    return redirect(step.url if step else course.url)


def _answers(post, quiz: QuizPage) -> dict[int, set[int]]:
    answers = {}
    for n, _block in enumerate(quiz.questions):
        values = post.getlist(f"q{n}")
        answers[n] = {int(v) for v in values if v.isdigit()}
    return answers


def serve_step(step, request, default_serve, *args, **kwargs):
    """Lessons and quizzes are for the enrolled learner: others go to the course."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = step.course()
    enrolment = CourseEnrolment.objects.filter(user=request.user, course=course).first()
    if enrolment is None:
        messages.info(
            request, _("Inscrivez-vous à la formation pour suivre ses leçons.")
        )
        return redirect(course.url)
    context = {"page": step, "course": course, "enrolment": enrolment}
    if isinstance(step, LessonPage):
        lesson_see(user=request.user, lesson=step)
    else:
        context["attempts_left"] = attempts_left(enrolment, step)
        context["passed"] = QuizAttempt.objects.filter(
            enrolment=enrolment, quiz=step, passed=True
        ).exists()
        if request.method == "POST":
            try:
                attempt, results = quiz_submit(
                    user=request.user, quiz=step, answers=_answers(request.POST, step)
                )
            except ValidationError as error:
                context["error"] = error.messages[0]
            else:
                context.update(
                    attempt=attempt,
                    results=results,
                    passed=attempt.passed,
                    attempts_left=attempts_left(enrolment, step),
                )
    enrolment.refresh_from_db()
    context["progress"] = progress(enrolment)
    return TemplateResponse(request, step.get_template(request), context)


# --- Open Badges 2.0 (public, stable URLs) ------------------------------------------


def _json(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        document, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch from anywhere
    return response


def issuer_json(request):
    return _json(badges.issuer())


def badge_class_json(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.exclude(badge_name=""), pk=course_id)
    return _json(badges.badge_class(course))


def badge_image(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.exclude(badge_name=""), pk=course_id)
    return HttpResponse(badges.image_svg(course), content_type="image/svg+xml")


def _award(uid) -> BadgeAward:
    return get_object_or_404(
        BadgeAward.objects.select_related("enrolment__course", "enrolment__user"),
        uid=uid,
    )


def assertion_json(request, uid):
    """A revoked assertion answers 410 Gone, still saying why (Open Badges 2.0)."""
    award = _award(uid)
    return _json(badges.assertion(award), status=410 if award.revoked_at else 200)


def revocations_json(request):
    return _json(
        {
            "@context": badges.CONTEXT,
            "type": "RevocationList",
            "id": request.build_absolute_uri(),
            "issuer": badges.issuer()["id"],
            "revokedAssertions": [
                {
                    "id": badges.assertion(a)["id"],
                    "revocationReason": a.revocation_reason,
                }
                for a in BadgeAward.objects.filter(
                    revoked_at__isnull=False
                ).select_related("enrolment__course", "enrolment__user")
            ],
        }
    )


def verify(request, uid):
    """The public verification page: what, when, still valid; the holder's address is
    not shown (the assertion carries only its salted hash)."""
    award = _award(uid)
    expired = award.expires is not None and award.expires < timezone.now()
    return TemplateResponse(
        request,
        "courses/verify.html",
        {"award": award, "course": award.enrolment.course, "expired": expired},
    )


@login_required
def baked_badge(request, uid):
    """The learner's own badge image with its assertion baked in, to upload elsewhere."""
    award = _award(uid)
    if award.enrolment.user_id != request.user.pk:
        raise Http404
    response = HttpResponse(
        badges.image_svg(award.enrolment.course, baked=badges.assertion(award)),
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="badge-{award.uid}.svg"'
    return response


def public_key(request):
    """The key Open Badges 3.0 credentials are signed with (JWK)."""
    return _json({"keys": [credentials.public_jwk()]})


def signed_credential(request, uid):
    award = _award(uid)
    response = HttpResponse(credentials.signed(award), content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="badge-{award.uid}.jwt"'
    return response


# --- badges in the cockpit -----------------------------------------------------------


@login_required
def my_badges(request):
    return TemplateResponse(
        request, "courses/my_badges.html", {"awards": badges_of(request.user)}
    )


@login_required
def people_badges(request):
    """Who in my perimeter holds which badge (supervisors, registries, ARS…)."""
    return TemplateResponse(
        request,
        "courses/people_badges.html",
        {
            "awards": Paginator(team_badges(request.user), 50).get_page(
                request.GET.get("page")
            )
        },
    )


STATISTICS_COLUMNS = [
    _l("Inscrits"),
    _l("Terminées"),
    _l("Taux d'achèvement (%)"),
    _l("Tentatives de quiz"),
    _l("Quiz réussis"),
    _l("Taux de réussite (%)"),
    _l("Badges délivrés"),
    _l("Inscrits aux sessions"),
    _l("Présents"),
    _l("Taux de présence (%)"),
]


def _figures(r) -> list:
    return [
        r.enrolled,
        r.completed,
        r.completion_rate,
        r.attempts,
        r.passed,
        r.pass_rate,
        r.badges,
        r.registered,
        r.attended,
        r.attendance_rate,
    ]


@login_required
def statistics_page(request):
    """UNESS: per course and per audience, enrolments, completions, quiz pass rates,
    badges, session attendance; XLSX."""
    if not request.actor.has_perm("courses.view_courseenrolment"):
        raise PermissionDenied(_("Ces statistiques sont celles de l'UNESS."))
    rows = training_statistics()
    audiences = audience_statistics()
    if request.GET.get("format") == "xlsx":
        return xlsx_sheets_response(
            "statistiques-formations",
            [
                (
                    _("Formations"),
                    [
                        _("Formation"),
                        _("Publics"),
                        _("Sessions"),
                        *STATISTICS_COLUMNS,
                    ],
                    [[r.label, r.audiences, r.sessions, *_figures(r)] for r in rows],
                ),
                (
                    _("Publics"),
                    [_("Public"), *STATISTICS_COLUMNS],
                    [[r.label, *_figures(r)] for r in audiences],
                ),
            ],
        )
    return TemplateResponse(
        request,
        "courses/statistics.html",
        {"rows": rows, "audiences": audiences},
    )


# --- dated sessions ------------------------------------------------------------------


def _session(session_id: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.select_related("course"), pk=session_id
    )


@login_required
@require_POST
def session_register_view(request, session_id: int):
    session = _session(session_id)
    try:
        registration = session_register(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.warning(
                request,
                _(
                    "La session est complète : vous êtes sur liste d'attente. "
                    "Vous serez prévenu(e) par e-mail si une place se libère."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "Vous êtes inscrit(e) à la session du %s. Un e-mail vous le confirme."
                )
                % date_format(timezone.localtime(session.starts_at), "j F Y à H:i"),
            )
    return redirect(session.course.url + "#sessions")


@login_required
def session_unregister_view(request, session_id: int):
    """A confirmation page, then the place goes to the waiting list."""
    session = _session(session_id)
    if request.method == "POST":
        try:
            session_unregister(user=request.user, session=session)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Vous êtes désinscrit(e) de la session."))
        return redirect(session.course.url + "#sessions")
    return TemplateResponse(
        request, "courses/session_unregister.html", {"session": session}
    )


def session_calendar(request, session_id: int):
    """The .ics of a session; its video link only for the people registered."""
    session = _session(session_id)
    registered = (
        request.user.is_authenticated
        and SessionRegistration.objects.filter(
            session=session,
            user=request.user,
            status=RegistrationStatus.REGISTERED,
        ).exists()
    )
    response = HttpResponse(
        session_ics(session, with_link=registered),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@login_required
def session_attendance(request, session_id: int):
    """The trainer's attendance sheet (or an UNESS admin's)."""
    session = _session(session_id)
    if not can_record_attendance(request.user, session):
        raise PermissionDenied(
            _("Seul le formateur de la session (ou l'UNESS) relève les présences.")
        )
    error = None
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            attendance_record(by=request.user, session=session, present=present)
        except ValidationError as e:
            error = e.messages[0]
        else:
            messages.success(
                request,
                _("Présences enregistrées : %(n)s présent(s) sur %(t)s inscrit(s).")
                % {"n": len(present), "t": attendance_sheet(session).count()},
            )
            return redirect("courses:session_attendance", session.pk)
    return TemplateResponse(
        request,
        "courses/session_attendance.html",
        {
            "session": session,
            "sheet": attendance_sheet(session),
            "started": session.starts_at <= timezone.now(),
            "error": error,
        },
    )


@login_required
def my_trainings(request):
    """MES INFORMATIONS > Mes formations: courses followed, sessions registered to,
    sessions one trains."""
    return TemplateResponse(
        request,
        "courses/my_trainings.html",
        {
            "enrolments": [(e, progress(e)) for e in my_enrolments(request.user)],
            "registrations": my_registrations(request.user),
            "trained": sessions_trained(request.user),
            "now": timezone.now(),
        },
    )
