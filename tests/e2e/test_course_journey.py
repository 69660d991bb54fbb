"""A resident takes a course in the browser: enrols, reads the lessons, fails then
passes the quiz, gets the badge and opens its public verification page."""

import pytest

from tests.factories.courses import make_course
from tests.factories.people import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_course_quiz_badge_and_verification(live_server, page, screenshot, resident):
    course, lessons, quiz = make_course()
    learner = resident
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(learner.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/cockpit/")

    page.goto(live_server.url + course.get_parent().url)
    page.get_by_role("link", name=course.title).click()
    page.get_by_role("button", name="M'inscrire à cette formation").click()
    page.get_by_text("Contenu 1.").wait_for()
    page.get_by_role("link", name="Étape suivante : Leçon 2").click()
    page.get_by_role("link", name="Étape suivante : Quiz final").click()
    screenshot("71-formation-quiz")
    page.get_by_label("Menu Aide").check(force=True)
    page.get_by_role("button", name="Valider mes réponses").click()
    page.get_by_text("Score : 0 %").wait_for()
    page.get_by_text("Le bouton est en haut à droite de chaque liste.").wait_for()
    page.get_by_label("Bouton « Exporter »").check(force=True)
    page.get_by_label("XLSX").check(force=True)
    page.get_by_label("CSV").check(force=True)
    page.get_by_role("button", name="Valider mes réponses").click()
    page.get_by_text("Quiz réussi : 100 %.").wait_for()

    page.goto(live_server.url + course.url)
    page.get_by_text("Progression : 100 %").wait_for()
    page.get_by_role("link", name="page de vérification publique").click()
    page.get_by_text("Badge valide, délivré par l'UNESS pour SIIMOP.").wait_for()
    screenshot("72-badge-verification")
    # The page is public: a signed-out visitor sees the same.
    url = page.url
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_text("Badge valide").wait_for()
