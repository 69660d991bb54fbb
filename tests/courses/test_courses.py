"""The catalogue and an online course: enrolment, lessons seen, resume, quiz with
retries and feedback, completion."""

import io

import pytest
from openpyxl import load_workbook

from courses.grading import grade
from courses.models import CourseEnrolment
from tests.conftest import login_verified
from tests.factories.courses import make_course

pytestmark = pytest.mark.django_db


def test_grading_needs_exactly_the_right_choices():
    questions = [
        {"question": "A", "choices": [{"text": "x", "correct": True}, {"text": "y"}]},
        {
            "question": "B",
            "choices": [
                {"text": "x", "correct": True},
                {"text": "y", "correct": True},
                {"text": "z"},
            ],
        },
    ]
    assert grade(questions, {0: {0}, 1: {0, 1}})[0] == 100
    assert grade(questions, {0: {0}, 1: {0}})[0] == 50  # one of two right choices
    assert grade(questions, {0: {0, 1}, 1: {0, 1, 2}})[0] == 0


def test_the_catalogue_filters_by_audience_and_module(client):
    cockpit, *_ = make_course()
    matching, *_ = make_course(
        title="Appariement Docteurs Juniors : guide RTS",
        audiences=["supervisor"],
        module="appariement",
    )
    catalogue = cockpit.get_parent().url
    everything = client.get(catalogue).content.decode()
    assert cockpit.title in everything and "guide RTS" in everything
    rts = client.get(catalogue, {"public": "supervisor"}).content.decode()
    assert "guide RTS" in rts and cockpit.title not in rts
    by_module = client.get(catalogue, {"module": "cockpit"}).content.decode()
    assert cockpit.title in by_module and "guide RTS" not in by_module


def test_a_learner_enrols_reads_resumes_fails_then_passes_and_completes(client, people):
    course, lessons, quiz = make_course()
    learner = people.support_l2
    # Signed out: lessons ask to sign in; signed in but not enrolled: the course page.
    assert "/compte/connexion/" in client.get(lessons[0].url).url
    client.force_login(learner)
    assert client.get(lessons[0].url).url == course.url
    assert "M'inscrire à cette formation" in client.get(course.url).content.decode()

    response = client.post(f"/apprendre/inscription/{course.pk}/")
    assert response.url == lessons[0].url  # straight to the first lesson
    assert "Contenu 1." in client.get(lessons[0].url).content.decode()
    page = client.get(course.url).content.decode()
    assert "Progression : 33 %" in page and "Reprendre où j'en étais" in page
    assert lessons[1].url in page

    client.get(lessons[1].url)
    wrong = client.post(quiz.url, {"q0": "1", "q1": ["0", "1"]}).content.decode()
    assert "Score : 50 %" in wrong
    assert "Le bouton est en haut à droite de chaque liste." in wrong
    assert "Tentatives restantes : 1." in wrong
    enrolment = CourseEnrolment.objects.get()
    assert enrolment.completed_at is None

    right = client.post(quiz.url, {"q0": "0", "q1": ["0", "1"]}).content.decode()
    assert "Quiz réussi : 100 %." in right and "Formation terminée" in right
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert "formation terminée le" in client.get(course.url).content.decode()


def test_no_more_attempts_than_allowed(client, people):
    course, lessons, quiz = make_course(max_attempts=1)
    learner = people.support_l2
    client.force_login(learner)
    client.post(f"/apprendre/inscription/{course.pk}/")
    client.post(quiz.url, {"q0": "1"})
    again = client.post(quiz.url, {"q0": "0", "q1": ["0", "1"]}).content.decode()
    assert "Vous avez utilisé vos 1 tentatives pour ce quiz." in again
    assert CourseEnrolment.objects.get().attempts.count() == 1


def test_uness_reads_the_training_figures_and_exports_them(client, people):
    course, lessons, quiz = make_course()
    learner = people.resident
    client.force_login(learner)
    client.post(f"/apprendre/inscription/{course.pk}/")
    for lesson in lessons:
        client.get(lesson.url)
    client.post(quiz.url, {"q0": "1"})  # failed
    client.post(quiz.url, {"q0": "0", "q1": ["0", "1"]})  # passed: completed, badge
    client.force_login(people.support_l2)
    client.post(f"/apprendre/inscription/{course.pk}/")  # enrolled only

    url = "/cockpit/formations/statistiques/"
    assert client.get(url).status_code == 403
    login_verified(client, people.uness_admin)
    page = client.get(url).content.decode()
    assert (
        "2</td><td>1 (50 %)</td><td>1 / 2 (50 %)</td><td>1</td><td>0 / 0</td>" in page
    )
    # Per audience: the resident counts among residents; the support agent in none.
    assert (
        "Internes</th><td>1</td><td>1 (100 %)</td><td>1 / 2 (50 %)</td><td>1</td>"
        in page
    )
    export = client.get(url, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    [row] = list(book["Formations"].iter_rows(min_row=2, values_only=True))
    assert row[0] == course.title
    assert row[2:] == (0, 2, 1, 50, 2, 1, 50, 1, 0, 0, None)
    audiences = {
        r[0]: r[1:] for r in book["Publics"].iter_rows(min_row=2, values_only=True)
    }
    assert audiences["Internes"][:7] == (1, 1, 100, 2, 1, 50, 1)
    assert audiences["Agents des ARS"][0] == 0
