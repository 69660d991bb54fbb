"""django-q2 entry points of the training sessions: confirmations, promotions from
the waiting list, reminders the day before."""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from domains.cockpit.links import absolute_url

from .calendar import event
from .models import RegistrationStatus, SessionRegistration, TrainingSession

SUBJECTS = {
    RegistrationStatus.REGISTERED: "SIIMOP — formation : votre inscription est confirmée",
    RegistrationStatus.WAITING: "SIIMOP — formation : vous êtes sur liste d'attente",
    "promoted": "SIIMOP — formation : une place s'est libérée, vous êtes inscrit(e)",
    "reminder": "SIIMOP — formation : rappel, votre session a lieu demain",
}


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


def _message(registration: SessionRegistration, kind: str) -> EmailMessage | None:
    if not registration.user.email:
        return None
    session = registration.session
    body = render_to_string(
        "courses/email_session.txt",
        {
            "kind": kind,
            "registration": registration,
            "session": session,
            "course_url": absolute_url(session.course),
            "registered": registration.status == RegistrationStatus.REGISTERED,
        },
    )
    message = EmailMessage(SUBJECTS[kind], body, to=[registration.user.email])
    if registration.status == RegistrationStatus.REGISTERED:
        message.attach(
            "session.ics", session_ics(session, with_link=True), "text/calendar"
        )
    return message


def send_session_emails(kind: str, registration_ids: list[int]) -> None:
    registrations = SessionRegistration.objects.filter(
        pk__in=registration_ids
    ).select_related("user", "session__course")
    messages = [m for r in registrations if (m := _message(r, kind))]
    get_connection().send_messages(messages)


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
    sent = []
    messages = []
    for registration in due:
        message = _message(registration, "reminder")
        if message:
            messages.append(message)
            sent.append(registration.pk)
    get_connection().send_messages(messages)
    SessionRegistration.objects.filter(pk__in=sent).update(reminded_at=timezone.now())
    return len(sent)
