"""Writes of the training catalogue: enrolling, lessons seen, quiz attempts, and the
completion they lead to."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.cockpit import mailer
from domains.people.roles import Role
from domains.people.selectors import active_functions

from .grading import grade
from .models import (
    BadgeAward,
    CourseEnrolment,
    CourseKind,
    CoursePage,
    LessonPage,
    LessonSeen,
    QuizAttempt,
    QuizPage,
    RegistrationStatus,
    SessionRegistration,
    TrainingSession,
)
from .selectors import progress


@transaction.atomic
def course_enrol(*, user, course: CoursePage) -> CourseEnrolment:
    if course.kind != CourseKind.ONLINE:
        raise ValidationError(
            _("Cette formation se suit en session : inscrivez-vous à une date.")
        )
    return CourseEnrolment.objects.get_or_create(user=user, course=course)[0]


def _enrolment(user, step) -> CourseEnrolment:
    enrolment = CourseEnrolment.objects.filter(user=user, course=step.course()).first()
    if enrolment is None:
        raise ValidationError(_("Inscrivez-vous d'abord à la formation."))
    return enrolment


def _complete_if_done(enrolment: CourseEnrolment) -> None:
    """Completion, and the course's badge with it."""
    if enrolment.completed_at is None and progress(enrolment).complete:
        _complete(enrolment)


def _complete(enrolment: CourseEnrolment) -> None:
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    if enrolment.course.badge_name:
        BadgeAward.objects.get_or_create(enrolment=enrolment)


@transaction.atomic
def badge_revoke(*, by, award: BadgeAward, reason: str) -> BadgeAward:
    """UNESS admins withdraw a badge; its assertion says so from then on."""
    if not (
        by.is_superuser or any(f.role == Role.UNESS_ADMIN for f in active_functions(by))
    ):
        raise ValidationError(_("Seule l'UNESS révoque un badge."))
    if not reason.strip():
        raise ValidationError({"reason": _("Dites pourquoi le badge est révoqué.")})
    if award.revoked_at:
        raise ValidationError(_("Ce badge est déjà révoqué."))
    award.revoked_at = timezone.now()
    award.revocation_reason = reason.strip()[:300]
    award.save(update_fields=["revoked_at", "revocation_reason"])
    return award


@transaction.atomic
def lesson_see(*, user, lesson: LessonPage) -> CourseEnrolment:
    enrolment = _enrolment(user, lesson)
    LessonSeen.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    enrolment.last_step = lesson
    enrolment.save(update_fields=["last_step"])
    _complete_if_done(enrolment)
    return enrolment


@transaction.atomic
def quiz_submit(*, user, quiz: QuizPage, answers: dict[int, set[int]]):
    """Grades an attempt (within the allowed number); returns (attempt, results)."""
    enrolment = _enrolment(user, quiz)
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)
    if attempts.filter(passed=True).exists():
        raise ValidationError(_("Vous avez déjà réussi ce quiz."))
    if quiz.max_attempts and attempts.count() >= quiz.max_attempts:
        raise ValidationError(
            _("Vous avez utilisé vos %(n)s tentatives pour ce quiz.")
            % {"n": quiz.max_attempts}
        )
    questions = [block.value for block in quiz.questions]
    raw = [
        {
            "question": q["question"],
            "feedback": q["feedback"],
            "choices": [
                {"text": c["text"], "correct": c["correct"]} for c in q["choices"]
            ],
        }
        for q in questions
    ]
    score, results = grade(raw, answers)
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        score=score,
        passed=score >= quiz.pass_mark,
        answers={str(k): sorted(v) for k, v in answers.items()},
    )
    enrolment.last_step = quiz
    enrolment.save(update_fields=["last_step"])
    _complete_if_done(enrolment)
    return attempt, results


# --- dated sessions ------------------------------------------------------------------


def _notify(registration_ids: list[int], kind: str) -> None:
    if registration_ids:
        mailer.enqueue("courses.tasks.send_session_emails", kind, registration_ids)


def _locked(session: TrainingSession) -> TrainingSession:
    """The session row locked, so that two people never take the last place."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _fill(session: TrainingSession) -> list[int]:
    """Promotes the waiting list, first come first served, while places are free."""
    registrations = SessionRegistration.objects.filter(session=session)
    free = (
        session.capacity
        - registrations.filter(status=RegistrationStatus.REGISTERED).count()
    )
    if free <= 0:
        return []
    promoted = list(
        registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("registered_at", "pk")
        .values_list("pk", flat=True)[:free]
    )
    SessionRegistration.objects.filter(pk__in=promoted).update(
        status=RegistrationStatus.REGISTERED
    )
    return promoted


@transaction.atomic
def session_register(*, user, session: TrainingSession) -> SessionRegistration:
    """A place if one is free, else the waiting list; an e-mail says which."""
    session = _locked(session)
    if session.starts_at <= timezone.now():
        raise ValidationError(_("Cette session a déjà commencé : inscription close."))
    registration = SessionRegistration.objects.filter(
        session=session, user=user
    ).first()
    if registration and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError(
            _("Vous êtes déjà inscrit(e) à cette session (%s).")
            % registration.get_status_display().lower()
        )
    taken = SessionRegistration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    ).count()
    status = (
        RegistrationStatus.REGISTERED
        if taken < session.capacity
        else RegistrationStatus.WAITING
    )
    if registration:  # registering again after cancelling: back of the queue
        registration.delete()
    registration = SessionRegistration.objects.create(
        session=session, user=user, status=status
    )
    _notify([registration.pk], status)
    return registration


@transaction.atomic
def session_unregister(*, user, session: TrainingSession) -> SessionRegistration:
    """Frees the place; the first on the waiting list takes it and is told."""
    session = _locked(session)
    registration = SessionRegistration.objects.filter(
        session=session, user=user
    ).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("Vous n'êtes pas inscrit(e) à cette session."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("Cette session a déjà commencé."))
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    _notify(_fill(session), "promoted")
    return registration


@transaction.atomic
def session_fill(session: TrainingSession) -> list[int]:
    """After an editor adds places: the waiting list moves up (and is told)."""
    session = _locked(session)
    if session.starts_at <= timezone.now():
        return []
    promoted = _fill(session)
    _notify(promoted, "promoted")
    return promoted


def can_record_attendance(user, session: TrainingSession) -> bool:
    return user.is_authenticated and (
        session.trainer_id == user.pk
        or user.is_superuser
        or any(f.role == Role.UNESS_ADMIN for f in active_functions(user))
    )


@transaction.atomic
def attendance_record(
    *, by, session: TrainingSession, present: set[int]
) -> list[SessionRegistration]:
    """The trainer ticks who came (registration ids), once the session has begun.
    Attending completes the course, and awards its badge when it has one; a presence
    corrected afterwards withdraws what it gave."""
    if not can_record_attendance(by, session):
        raise ValidationError(
            _("Seul le formateur de la session (ou l'UNESS) relève les présences.")
        )
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("Les présences se relèvent une fois la session commencée.")
        )
    registrations = list(
        SessionRegistration.objects.select_for_update()
        .filter(session=session, status=RegistrationStatus.REGISTERED)
        .select_related("user")
    )
    unknown = present - {r.pk for r in registrations}
    if unknown:
        raise ValidationError(
            _("Ces personnes ne sont pas inscrites à la session : %s.")
            % ", ".join(str(pk) for pk in sorted(unknown))
        )
    for registration in registrations:
        attended = registration.pk in present
        if registration.attended == attended:
            continue
        registration.attended = attended
        registration.save(update_fields=["attended"])
        if attended:
            enrolment = CourseEnrolment.objects.get_or_create(
                user=registration.user, course=session.course
            )[0]
            if enrolment.completed_at is None:
                _complete(enrolment)
        else:
            _attendance_withdrawn(registration)
    return registrations


def _attendance_withdrawn(registration: SessionRegistration) -> None:
    still = SessionRegistration.objects.filter(
        user=registration.user,
        session__course=registration.session.course,
        attended=True,
    ).exists()
    enrolment = CourseEnrolment.objects.filter(
        user=registration.user, course=registration.session.course
    ).first()
    if still or enrolment is None or enrolment.completed_at is None:
        return
    enrolment.completed_at = None
    enrolment.save(update_fields=["completed_at"])
    BadgeAward.objects.filter(enrolment=enrolment, revoked_at__isnull=True).update(
        revoked_at=timezone.now(),
        revocation_reason=_("Présence à la session corrigée par le formateur."),
    )
