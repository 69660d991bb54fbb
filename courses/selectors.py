"""Reads of the training catalogue: a learner's progress in a course."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from wagtail.models import Page

from domains.people.roles import Role
from domains.people.selectors import active_on, visible_persons
from domains.residents.selectors import visible_residents

from .models import (
    Audience,
    BadgeAward,
    CourseEnrolment,
    LessonSeen,
    QuizAttempt,
    QuizPage,
    RegistrationStatus,
    SessionRegistration,
    TrainingSession,
)


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


def progress(enrolment: CourseEnrolment) -> Progress:
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


def attempts_left(enrolment: CourseEnrolment, quiz: QuizPage) -> int | None:
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
class Figures:
    """Training figures of a course, or of an audience (the learners holding one of
    its functions)."""

    label: str
    audiences: str
    enrolled: int
    completed: int
    attempts: int
    passed: int
    badges: int
    sessions: int = 0
    registered: int = 0
    attended: int = 0

    @property
    def completion_rate(self) -> int | None:
        return _rate(self.completed, self.enrolled)

    @property
    def pass_rate(self) -> int | None:
        return _rate(self.passed, self.attempts)

    @property
    def attendance_rate(self) -> int | None:
        return _rate(self.attended, self.registered)


def _rate(part: int, whole: int) -> int | None:
    return 100 * part // whole if whole else None


def training_statistics() -> list[Figures]:
    """Per course, in a fixed number of queries: enrolments, completions, quiz attempts
    and passes, badges issued, sessions and their attendance (national, for UNESS)."""
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
    attempts = _by(
        QuizAttempt.objects.values("enrolment__course_id").annotate(
            n=Count("pk"), passed=Count("pk", filter=Q(passed=True))
        ),
        "enrolment__course_id",
    )
    sessions = _by(
        TrainingSession.objects.values("course_id").annotate(n=Count("pk")),
        "course_id",
    )
    presence = _by(
        SessionRegistration.objects.filter(status=RegistrationStatus.REGISTERED)
        .values("session__course_id")
        .annotate(n=Count("pk"), attended=Count("pk", filter=Q(attended=True))),
        "session__course_id",
    )
    empty = {}
    return [
        Figures(
            label=c.title,
            audiences=", ".join(c.audience_labels()),
            enrolled=c.enrolled,
            completed=c.completed,
            attempts=attempts.get(c.pk, empty).get("n", 0),
            passed=attempts.get(c.pk, empty).get("passed", 0),
            badges=c.badges,
            sessions=sessions.get(c.pk, empty).get("n", 0),
            registered=presence.get(c.pk, empty).get("n", 0),
            attended=presence.get(c.pk, empty).get("attended", 0),
        )
        for c in courses
    ]


def _by(rows, key: str) -> dict:
    return {row[key]: row for row in rows}


# Which audience of the catalogue a learner belongs to, from the functions he holds.
ROLE_AUDIENCE = {
    Role.ARS: Audience.ARS,
    Role.FACULTY_REGISTRY: Audience.FACULTY,
    Role.COORDINATOR: Audience.COORDINATOR,
    Role.SITE_SUPERVISOR: Audience.SUPERVISOR,
    Role.PRACTITIONER: Audience.SUPERVISOR,
    Role.SITE_ASSISTANT: Audience.SUPERVISOR,
    Role.RESIDENT: Audience.RESIDENT,
    Role.RESIDENT_REPRESENTATIVE: Audience.RESIDENT,
}


def audience_statistics() -> list[Figures]:
    """The same figures per audience: a learner counts in each audience his current
    functions place him in (an RTS who is also a coordinator counts twice)."""
    from collections import defaultdict

    from django.utils import timezone

    from domains.people.models import Function

    audiences_of = defaultdict(set)
    for user_id, role in (
        Function.objects.filter(role__in=ROLE_AUDIENCE, person__user__isnull=False)
        .filter(active_on(timezone.localdate()))
        .values_list("person__user_id", "role")
    ):
        audiences_of[user_id].add(ROLE_AUDIENCE[role])
    totals = {a: defaultdict(int) for a in Audience.values}

    def add(user_id, **counts):
        for audience in audiences_of.get(user_id, ()):
            for name, n in counts.items():
                totals[audience][name] += n

    for user_id, completed, badge in CourseEnrolment.objects.values_list(
        "user_id", "completed_at", "badge"
    ):
        add(
            user_id,
            enrolled=1,
            completed=completed is not None,
            badges=badge is not None,
        )
    for user_id, passed in QuizAttempt.objects.values_list(
        "enrolment__user_id", "passed"
    ):
        add(user_id, attempts=1, passed=passed)
    for user_id, attended in SessionRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED
    ).values_list("user_id", "attended"):
        add(user_id, registered=1, attended=attended is True)
    labels = dict(Audience.choices)
    return [
        Figures(
            label=str(labels[a]),
            audiences="",
            enrolled=t["enrolled"],
            completed=t["completed"],
            attempts=t["attempts"],
            passed=t["passed"],
            badges=t["badges"],
            registered=t["registered"],
            attended=t["attended"],
        )
        for a, t in totals.items()
    ]


# --- dated sessions ------------------------------------------------------------------


def _with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    from django.db.models import Count

    return sessions.annotate(
        taken=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
        ),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITING),
        ),
    )


def upcoming_sessions(course, user) -> list[TrainingSession]:
    """The course's sessions still to come, with places taken, the waiting list, and
    the user's own registration (`mine`) on each."""
    from django.utils import timezone

    sessions = list(
        _with_counts(
            TrainingSession.objects.filter(course=course, starts_at__gt=timezone.now())
        ).select_related("trainer")
    )
    mine = {}
    if user.is_authenticated:
        mine = {
            r.session_id: r
            for r in SessionRegistration.objects.filter(
                user=user, session__in=[s.pk for s in sessions]
            ).exclude(status=RegistrationStatus.CANCELLED)
        }
    for session in sessions:
        session.mine = mine.get(session.pk)
        session.left = max(0, session.capacity - session.taken)
    return sessions


def my_registrations(user) -> QuerySet[SessionRegistration]:
    return (
        SessionRegistration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session__course")
        .order_by("-session__starts_at")
    )


def sessions_trained(user) -> QuerySet[TrainingSession]:
    return (
        _with_counts(TrainingSession.objects.filter(trainer=user))
        .select_related("course")
        .order_by("-starts_at")
    )


def my_enrolments(user) -> QuerySet[CourseEnrolment]:
    return (
        CourseEnrolment.objects.filter(user=user, course__kind="online")
        .select_related("course", "badge")
        .order_by("completed_at", "-started_at")
    )


def attendance_sheet(session: TrainingSession) -> QuerySet[SessionRegistration]:
    return (
        SessionRegistration.objects.filter(
            session=session, status=RegistrationStatus.REGISTERED
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
