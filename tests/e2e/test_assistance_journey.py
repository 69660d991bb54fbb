"""UNESS Assistance in the browser: a resident files a request from the cockpit (with a
screenshot, after a help article is suggested), the level-1 agent answers with a canned
answer and escalates (then follows it, read only), the level-2 agent resolves, the
resident reads and closes."""

import pytest
from django.core import mail
from helpdesk.models import KBCategory, KBItem, Ticket

from assistance.services import canned_answer_save, teams_setup
from tests.e2e.browser import sign_in
from tests.factories.residents import make_resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def test_request_answered_escalated_resolved_and_closed(
    live_server, page, screenshot, tmp_path, people
):
    teams_setup()
    make_resident(subdivision_code="LYON", email="lea@etu.exemple.fr")
    level_1, level_2 = people.support_l1, people.support_l2
    canned_answer_save(
        by=level_2,
        name="Stage à saisir par la scolarité",
        body="Bonjour,\n\nLa scolarité saisit les stages d'été en septembre.",
        team=None,
    )
    category = KBCategory.objects.create(
        name="Parcours", title="Parcours", slug="parcours", description="."
    )
    KBItem.objects.create(
        category=category,
        title="Un stage manque dans mon parcours",
        question="Un stage validé n'apparaît pas dans mon parcours.",
        answer="La scolarité de votre faculté saisit les stages.",
    )

    # 1. The resident files from the cockpit: the help article is suggested first.
    sign_in(page, live_server, "lea@etu.exemple.fr")
    page.get_by_role("link", name="UNESS Assistance").first.click()
    page.get_by_label("Catégorie").select_option(label="Parcours et documents")
    page.get_by_label("Objet").fill("Mon stage manque dans mon parcours")
    page.get_by_label("Votre demande").fill("Mon stage d'été à Lyon n'apparaît pas.")
    page.get_by_role("link", name="Un stage manque dans mon parcours").wait_for()
    screenshot("60-assistance-demande-suggestion")
    capture = tmp_path / "capture.png"
    capture.write_bytes(PNG)
    page.locator("input[name=attachment]").set_input_files(str(capture))
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("enregistrée : un accusé de réception").wait_for()
    ticket = Ticket.objects.get()
    assert ticket.siimop.page.startswith("/cockpit/")
    assert any(f"[uness-{ticket.pk}]" in m.subject for m in mail.outbox)

    # 2. The level-1 agent answers with the canned answer, edited, then escalates.
    sign_in(page, live_server, level_1.email)
    page.goto(live_server.url + "/cockpit/demandes-assistance/")
    page.get_by_role("link", name="Mon stage manque dans mon parcours").click()
    page.get_by_role("link", name="capture.png").wait_for()
    page.get_by_label("Réponse type (à relire avant envoi)").select_option(
        label="Stage à saisir par la scolarité"
    )
    answer = page.locator("#reponse")
    answer.fill(answer.input_value() + "\nNous vérifions votre dossier.")
    page.get_by_role("button", name="Envoyer la réponse", exact=True).click()
    page.get_by_text("Réponse envoyée à la personne par e-mail.").wait_for()
    page.get_by_label("Motif de l'escalade (obligatoire)").fill(
        "Le stage est saisi mais ne s'affiche pas : anomalie."
    )
    page.get_by_role("button", name="Escalader au niveau 2").click()
    page.get_by_text("Demande escaladée au niveau 2.").wait_for()
    # Now level 2's: she follows it, its history included, without acting on it.
    page.get_by_text("vous la suivez en lecture seule").wait_for()
    page.get_by_text("Le stage est saisi mais ne s'affiche pas").wait_for()
    assert page.get_by_text("Note interne").count() == 1
    assert page.get_by_role("button", name="Envoyer la réponse").count() == 0
    assert page.get_by_role("button", name="Renvoyer au niveau 1").count() == 0
    screenshot("61-assistance-escalade-lecture-seule")

    # 3. Level 2 reads the history and resolves.
    sign_in(page, live_server, level_2.email)
    page.goto(live_server.url + f"/cockpit/demandes-assistance/{ticket.pk}/")
    page.get_by_text("anomalie").first.wait_for()
    page.locator("#reponse").fill("Corrigé : votre stage s'affiche désormais.")
    page.get_by_role("button", name="Envoyer et marquer résolue").click()
    page.get_by_text("Demande résolue ; la personne est prévenue").wait_for()
    screenshot("62-assistance-resolue")

    # 4. The resident reads the answers and closes her request.
    sign_in(page, live_server, "lea@etu.exemple.fr")
    page.goto(live_server.url + "/assistance/mes-demandes/")
    page.get_by_role("link", name="Mon stage manque dans mon parcours").click()
    page.get_by_text("votre stage s'affiche désormais").wait_for()
    page.get_by_text("Nous vérifions votre dossier.").wait_for()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ma demande est réglée : la clore").click()
    page.get_by_text("Demande close. Merci.").wait_for()
    screenshot("63-assistance-close")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.CLOSED_STATUS
    assert ticket.siimop.escalated and ticket.siimop.resolution_hours is not None

    # 5. Level 2 reads the statistics: one request, escalated, resolved.
    sign_in(page, live_server, level_2.email)
    page.goto(live_server.url + "/cockpit/assistance/statistiques/")
    page.get_by_text("escaladées au niveau 2 (1)").wait_for()
    screenshot("64-assistance-statistiques")
