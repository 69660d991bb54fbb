"""A dated session in the browser: a place, the waiting list, a cancellation that
promotes the next person, then the trainer's attendance sheet awarding the badge."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.factories.courses import make_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_register_wait_be_promoted_and_attend(live_server, page, screenshot, people):
    trainer = people.support_l2
    session = make_session(capacity=1, trainer=trainer)
    first, second = people.ars, people.faculty_registry  # two learners
    course_url = live_server.url + session.course.url

    # 1. The first takes the only place, the second goes on the waiting list.
    sign_in(page, live_server, first)
    page.goto(course_url)
    page.get_by_role("button", name="M'inscrire", exact=True).click()
    page.get_by_text("Vous êtes inscrit(e) à la session du").wait_for()
    row = page.locator(f"#session-{session.pk}")
    expect(row.get_by_text("Inscrit(e)", exact=True)).to_be_visible()
    expect(row.get_by_text("Complet")).to_be_visible()
    screenshot("74-session-inscription")

    sign_in(page, live_server, second)
    page.goto(course_url)
    page.get_by_role("button", name="M'inscrire sur liste d'attente").click()
    page.get_by_text(
        "La session est complète : vous êtes sur liste d'attente."
    ).wait_for()

    # 2. The first cancels, after a confirmation page; the second is told.
    sign_in(page, live_server, first)
    page.goto(course_url)
    page.get_by_role("link", name="Me désinscrire").click()
    page.get_by_role("heading", name="Se désinscrire de la session ?").wait_for()
    page.get_by_role("button", name="Confirmer la désinscription").click()
    page.get_by_text("Vous êtes désinscrit(e) de la session.").wait_for()
    assert [m.to for m in mail.outbox if "place" in m.subject.lower()][-1] == [
        second.email
    ]

    # 3. The session has begun: the trainer ticks the second as present.
    session.starts_at = timezone.now() - dt.timedelta(minutes=30)
    session.ends_at = timezone.now() + dt.timedelta(hours=1)
    session.save()
    sign_in(page, live_server, trainer)
    page.goto(live_server.url + "/cockpit/mes-informations/formations/")
    page.get_by_role("link", name="relever les présences").click()
    page.get_by_label(second.email, exact=False).check(force=True)
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_text(
        "Présences enregistrées : 1 présent(s) sur 1 inscrit(s)."
    ).wait_for()
    screenshot("75-session-presences")

    # 4. The second sees her presence and the badge it earned.
    sign_in(page, live_server, second)
    page.goto(live_server.url + "/cockpit/mes-informations/formations/")
    sessions = page.locator("#mes-sessions")
    expect(sessions.get_by_text("présent(e)")).to_be_visible()
    page.goto(live_server.url + "/cockpit/mes-informations/badges/")
    expect(page.get_by_text(session.course.badge_name).first).to_be_visible()
    screenshot("76-session-badge")
