"""django-q2 entry points of the training sessions: confirmations, promotions from
the waiting list, reminders the day before."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url

from .calendar import event
from .models import RegistrationStatus, SessionRegistration, TrainingSession


def session_ics(session: TrainingSession, *, with_link: bool) -> str:
    course = session.course
    page = absolute_url(course)
    description = course.summary
    if with_link and session.video_link:
        description += f"\nVisioconférence : {session.video_link}"
    return event(
        uid=f"session-{session.pk}@siimop",
        start=session.starts_at,
        end=session.ends_at,
        summary=course.title,
        description=description,
        location=session.place or (session.video_link if with_link else ""),
        url=page,
        stamp=timezone.now(),
    )


def _send(registration: SessionRegistration, kind: str) -> bool:
    """One person's message of this kind (`courses/session_<kind>`: registered,
    waiting, promoted, reminder); the calendar file once she has a place."""
    if not registration.user.email:
        return False
    session = registration.session
    registered = registration.status == RegistrationStatus.REGISTERED
    mailer.send(
        to=registration.user.email,
        template=f"courses/session_{kind!s}",
        context={
            "registration": registration,
            "session": session,
            "course_url": absolute_url(session.course),
            "registered": registered,
        },
        attachments=[
            ("session.ics", session_ics(session, with_link=True), "text/calendar")
        ]
        if registered
        else [],
    )
    return True


def _send_each(registrations, kind: str) -> tuple[list[int], list[Exception]]:
    """Each person's message: a failure (in the delivery log) stops no one else."""
    sent, failures = [], []
    for registration in registrations:
        try:
            if _send(registration, kind):
                sent.append(registration.pk)
        except Exception as error:  # noqa: BLE001 - raised after the others
            failures.append(error)
    return sent, failures


def send_session_emails(kind: str, registration_ids: list[int]) -> None:
    registrations = SessionRegistration.objects.filter(
        pk__in=registration_ids
    ).select_related("user", "session__course")
    _sent, failures = _send_each(registrations, kind)
    if failures:
        raise failures[0]  # django-q2 records the failed task


def tomorrow_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Tomorrow, midnight to midnight, in the platform's time zone."""
    today = timezone.localtime(now).date()
    start = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    )
    return start, timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=2), dt.time())
    )


def send_session_reminders() -> int:
    """Each registered person of tomorrow's sessions, once (`reminded_at`)."""
    start, end = tomorrow_bounds(timezone.now())
    due = SessionRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    ).select_related("user", "session__course")
    sent, failures = _send_each(due, "reminder")
    SessionRegistration.objects.filter(pk__in=sent).update(reminded_at=timezone.now())
    if failures:
        raise failures[0]
    return len(sent)
