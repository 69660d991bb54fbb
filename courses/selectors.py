"""Reads of the training catalogue: a learner's progress in a course."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from wagtail.models import Page

from domains.people.selectors import visible_persons
from domains.residents.selectors import visible_residents

from .models import BadgeAward, Enrolment, LessonSeen, QuizAttempt, QuizPage


@dataclass(frozen=True)
class Progress:
    done: set[int]  # ids of the lessons seen and quizzes passed
    steps: list[Page]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return 100 * len(self.done) // self.total if self.total else 100

    @property
    def complete(self) -> bool:
        return all(step.pk in self.done for step in self.steps)

    @property
    def next_step(self) -> Page | None:
        """Where to resume: the first step not done yet."""
        return next((s for s in self.steps if s.pk not in self.done), None)


def progress(enrolment: Enrolment) -> Progress:
    steps = enrolment.course.steps()
    seen = set(
        LessonSeen.objects.filter(enrolment=enrolment).values_list(
            "lesson_id", flat=True
        )
    )
    passed = set(
        QuizAttempt.objects.filter(enrolment=enrolment, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
    return Progress(done=seen | passed, steps=steps)


def attempts_left(enrolment: Enrolment, quiz: QuizPage) -> int | None:
    if not quiz.max_attempts:
        return None
    used = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz).count()
    return max(0, quiz.max_attempts - used)


def badges_of(user) -> QuerySet[BadgeAward]:
    return (
        BadgeAward.objects.filter(enrolment__user=user)
        .select_related("enrolment__course")
        .order_by("-issued_on")
    )


def team_badges(user) -> QuerySet[BadgeAward]:
    """Badges of the people in the user's perimeter (functions held there, residents
    followed there), not his own."""
    persons = visible_persons(user).values("pk")
    residents = visible_residents(user).values("person_id")
    return (
        BadgeAward.objects.filter(
            Q(enrolment__user__person__in=persons)
            | Q(enrolment__user__person__in=residents)
        )
        .exclude(enrolment__user=user)
        .select_related("enrolment__course", "enrolment__user__person")
        .order_by("enrolment__user__last_name", "-issued_on")
    )


@dataclass(frozen=True)
class CourseFigures:
    course: str
    audiences: str
    enrolled: int
    completed: int
    attempts: int
    passed: int
    badges: int

    @property
    def completion_rate(self) -> int | None:
        return 100 * self.completed // self.enrolled if self.enrolled else None

    @property
    def pass_rate(self) -> int | None:
        return 100 * self.passed // self.attempts if self.attempts else None


def training_statistics() -> list[CourseFigures]:
    """Per course, in a fixed number of queries: enrolments, completions, quiz attempts
    and passes, badges issued (national figures, for UNESS)."""
    from django.db.models import Count

    from .models import CoursePage

    courses = CoursePage.objects.order_by("title").annotate(
        enrolled=Count("enrolments", distinct=True),
        completed=Count(
            "enrolments",
            filter=Q(enrolments__completed_at__isnull=False),
            distinct=True,
        ),
        badges=Count("enrolments__badge", distinct=True),
    )
    attempts = {
        row["enrolment__course_id"]: row
        for row in QuizAttempt.objects.values("enrolment__course_id").annotate(
            n=Count("pk"), passed=Count("pk", filter=Q(passed=True))
        )
    }
    return [
        CourseFigures(
            course=c.title,
            audiences=", ".join(c.audience_labels()),
            enrolled=c.enrolled,
            completed=c.completed,
            attempts=attempts.get(c.pk, {}).get("n", 0),
            passed=attempts.get(c.pk, {}).get("passed", 0),
            badges=c.badges,
        )
        for c in courses
    ]
