"""Writes of the training catalogue: enrolling, lessons seen, quiz attempts, and the
completion they lead to."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.people.roles import Role
from domains.people.selectors import active_functions

from .grading import grade
from .models import (
    BadgeAward,
    CourseKind,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonSeen,
    QuizAttempt,
    QuizPage,
)
from .selectors import progress


@transaction.atomic
def course_enrol(*, user, course: CoursePage) -> Enrolment:
    if course.kind != CourseKind.ONLINE:
        raise ValidationError(
            _("Cette formation se suit en session : inscrivez-vous à une date.")
        )
    return Enrolment.objects.get_or_create(user=user, course=course)[0]


def _enrolment(user, step) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=user, course=step.course()).first()
    if enrolment is None:
        raise ValidationError(_("Inscrivez-vous d'abord à la formation."))
    return enrolment


def _complete_if_done(enrolment: Enrolment) -> None:
    """Completion, and the course's badge with it."""
    if enrolment.completed_at is None and progress(enrolment).complete:
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
def lesson_see(*, user, lesson: LessonPage) -> Enrolment:
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
