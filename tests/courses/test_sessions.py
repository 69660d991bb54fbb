"""Dated sessions: registration within capacity, waiting list moving up, reminders the
day before, calendar file, attendance by the trainer completing the course, and their
figures in the training statistics."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import CourseEnrolment, RegistrationStatus, SessionRegistration
from courses.services import attendance_record, session_register, session_unregister
from courses.tasks import send_session_reminders
from domains.people.roles import Role
from tests.conftest import login_verified
from tests.factories.courses import make_session
from tests.factories.people import make_user_with_role
from tests.factories.referential import region

pytestmark = pytest.mark.django_db

REGISTERED, WAITING = RegistrationStatus.REGISTERED, RegistrationStatus.WAITING


def learners(n):
    """Several agents of one region."""
    return [make_user_with_role(Role.ARS, region=region("84")) for _ in range(n)]


def started(session):
    """Moves a session into the past (attendance is recorded once it has begun)."""
    session.starts_at = timezone.now() - dt.timedelta(hours=1)
    session.ends_at = timezone.now() + dt.timedelta(hours=1)
    session.save()
    return session


def test_places_then_waiting_list_each_told_by_email_with_the_calendar(
    django_capture_on_commit_callbacks,
):
    session = make_session(capacity=2)
    a, b, c = learners(3)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [session_register(user=u, session=session).status for u in (a, b, c)]
    assert statuses == [REGISTERED, REGISTERED, WAITING]
    by_address = {m.to[0]: m for m in mail.outbox}
    confirmed = by_address[a.email]
    assert "inscription est confirmée" in confirmed.subject
    assert "salle 3, Lyon" in confirmed.body
    [(name, ics, mimetype)] = confirmed.attachments
    assert name == "session.ics" and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Atelier agréments" in ics
    waiting = by_address[c.email]
    assert "liste d'attente" in waiting.subject and not waiting.attachments
    with pytest.raises(ValidationError, match="déjà inscrit"):
        session_register(user=c, session=session)


def test_a_freed_place_goes_to_the_first_waiting_who_is_told(
    django_capture_on_commit_callbacks,
):
    session = make_session(capacity=1)
    a, b, c = learners(3)
    for u in (a, b, c):
        session_register(user=u, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        session_unregister(user=a, session=session)
    status = dict(SessionRegistration.objects.values_list("user_id", "status"))
    assert status == {a.pk: "cancelled", b.pk: REGISTERED, c.pk: WAITING}
    [promoted] = mail.outbox
    assert promoted.to == [b.email] and "une place s'est libérée" in promoted.subject
    # Coming back after cancelling: behind those already waiting.
    assert session_register(user=a, session=session).status == WAITING
    session_unregister(user=b, session=session)
    assert SessionRegistration.objects.get(user=c).status == REGISTERED
    assert SessionRegistration.objects.get(user=a).status == WAITING


def test_more_places_move_the_waiting_list_up(django_capture_on_commit_callbacks):
    session = make_session(capacity=1)
    a, b, c = learners(3)
    for u in (a, b, c):
        session_register(user=u, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        session.capacity = 2
        session.save()  # as an editor does in the Wagtail admin
    assert SessionRegistration.objects.get(user=b).status == REGISTERED
    assert SessionRegistration.objects.get(user=c).status == WAITING
    assert [m.to for m in mail.outbox] == [[b.email]]


def test_no_registration_nor_cancellation_once_the_session_has_begun():
    session = make_session()
    [a, b] = learners(2)
    session_register(user=a, session=session)
    started(session)
    with pytest.raises(ValidationError, match="déjà commencé : inscription close"):
        session_register(user=b, session=session)
    with pytest.raises(ValidationError, match="déjà commencé"):
        session_unregister(user=a, session=session)


def test_reminders_the_day_before_once_to_the_registered_only():
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    tomorrow = tomorrow.replace(hour=14, minute=0)
    session = make_session(capacity=1, starts_at=tomorrow)
    later = make_session(capacity=5, course=session.course, days=3)
    a, b, c = learners(3)
    session_register(user=a, session=session)
    session_register(user=b, session=session)  # waiting
    session_register(user=c, session=later)
    mail.outbox.clear()
    assert send_session_reminders() == 1
    [reminder] = mail.outbox
    assert reminder.to == [a.email] and "a lieu demain" in reminder.subject
    assert send_session_reminders() == 0  # once


def test_calendar_file_gives_the_video_link_to_the_registered_only(client):
    session = make_session(
        place="", video_link="https://visio.uness.fr/atelier-agrements"
    )
    [a, other] = learners(2)
    session_register(user=a, session=session)
    url = f"/apprendre/sessions/{session.pk}/calendrier.ics"
    client.force_login(a)
    ics = client.get(url)
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    start = session.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in text
    assert "visio.uness.fr" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    client.force_login(other)
    assert "visio.uness.fr" not in client.get(url).content.decode()


def test_the_course_page_shows_sessions_places_and_lets_one_register(client):
    session = make_session(capacity=1)
    [a, b] = learners(2)
    client.force_login(a)
    page = client.get(session.course.url).content.decode()
    assert "1 place libre" in page and "M'inscrire</button>" in page
    response = client.post(
        f"/apprendre/sessions/{session.pk}/inscription/", follow=True
    )
    assert "Vous êtes inscrit(e) à la session" in response.content.decode()
    client.force_login(b)
    page = client.get(session.course.url).content.decode()
    assert "Complet" in page and "M'inscrire sur liste d'attente</button>" in page
    client.post(f"/apprendre/sessions/{session.pk}/inscription/")
    assert SessionRegistration.objects.get(user=b).status == WAITING
    # Unregistering asks first.
    url = f"/apprendre/sessions/{session.pk}/desinscription/"
    assert "Confirmer la désinscription" in client.get(url).content.decode()
    assert SessionRegistration.objects.get(user=b).status == WAITING
    client.post(url)
    assert SessionRegistration.objects.get(user=b).status == "cancelled"
    # Mes formations lists one's sessions.
    client.force_login(a)
    mine = client.get("/cockpit/mes-informations/formations/").content.decode()
    assert "Atelier agréments" in mine and "Inscrit(e)" in mine


def test_attendance_by_the_trainer_completes_the_course_and_awards_its_badge(
    client, people
):
    trainer = people.support_l2
    session = make_session(capacity=3, trainer=trainer)
    a, b = learners(2)
    ra = session_register(user=a, session=session)
    rb = session_register(user=b, session=session)
    url = f"/apprendre/sessions/{session.pk}/presences/"

    client.force_login(a)  # a learner is not the trainer
    assert client.get(url).status_code == 403
    assert client.post(url, {"present": [ra.pk]}).status_code == 403
    with pytest.raises(ValidationError, match="Seul le formateur"):
        attendance_record(by=a, session=session, present={ra.pk})

    client.force_login(trainer)
    assert "Les présences se relèvent une fois la session commencée" in (
        client.get(url).content.decode()
    )
    with pytest.raises(ValidationError, match="une fois la session commencée"):
        attendance_record(by=trainer, session=session, present={ra.pk})
    started(session)
    response = client.post(url, {"present": [ra.pk]}, follow=True)
    assert "1 présent(s) sur 2 inscrit(s)" in response.content.decode()
    done = CourseEnrolment.objects.get(user=a, course=session.course)
    assert done.completed_at and done.badge.revoked_at is None
    assert not CourseEnrolment.objects.filter(user=b).exists()
    assert SessionRegistration.objects.get(pk=rb.pk).attended is False

    # A correction withdraws what it gave.
    client.post(url, {"present": [rb.pk]})
    done.refresh_from_db()
    assert done.completed_at is None and done.badge.revoked_at is not None
    assert CourseEnrolment.objects.get(user=b).badge.revoked_at is None
    # Somebody not on the sheet is refused, nothing changes.
    stranger = make_session(course=session.course).pk
    response = client.post(url, {"present": [rb.pk, 999999]})
    assert "ne sont pas inscrites à la session : 999999" in response.content.decode()
    assert SessionRegistration.objects.get(pk=rb.pk).attended is True
    assert stranger


def test_sessions_in_the_training_statistics(client, people):
    trainer = people.uness_admin
    session = make_session(capacity=3, trainer=trainer)
    a, b = learners(2)
    resident = people.resident
    registrations = [
        session_register(user=u, session=session) for u in (a, b, resident)
    ]
    started(session)
    attendance_record(
        by=trainer, session=session, present={registrations[0].pk, registrations[2].pk}
    )
    login_verified(client, trainer)
    page = client.get("/cockpit/formations/statistiques/").content.decode()
    assert "<td>2 / 3 (66 %)</td>" in page  # the course: 2 present of 3
    assert "Agents des ARS</th><td>1</td>" in page
    export = client.get("/cockpit/formations/statistiques/", {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    [row] = list(book["Formations"].iter_rows(min_row=2, values_only=True))
    assert row[2] == 1 and row[-3:] == (3, 2, 66)
    audiences = {
        r[0]: r[1:] for r in book["Publics"].iter_rows(min_row=2, values_only=True)
    }
    assert audiences["Agents des ARS"][-3:] == (2, 1, 50)
    assert audiences["Internes"][-3:] == (1, 1, 100)


def test_uness_admins_manage_sessions_in_the_wagtail_admin(client, people):
    make_session()
    login_verified(client, people.uness_admin)
    listing = client.get("/admin/sessions-formation/")
    assert (
        listing.status_code == 200 and "Atelier agréments" in listing.content.decode()
    )
    client.force_login(learners(1)[0])
    assert client.get("/admin/sessions-formation/").status_code in (302, 403)
