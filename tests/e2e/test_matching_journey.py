"""A Docteur Junior matching round in the browser: a resident rates posts, a
supervisor ranks, the ARS computes and publishes, the resident sees her post and why
she did not get the others."""

import pytest

from domains.matching import services
from tests.e2e.browser import sign_in
from tests.factories.matching import PDF, complete_file, matching_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_full_matching_round(live_server, page, screenshot, tmp_path):
    world = matching_world(residents=4, sites=4)
    candidacies = list(world.round.candidacies.order_by("pk"))
    me = candidacies[0]
    # The others apply through the services: all want "Cardiologie 1" most.
    for candidacy in candidacies[1:]:
        complete_file(world, candidacy)
        services.wishes_submit(
            by=candidacy.resident.person.user,
            candidacy=candidacy,
            hearts={o.pk: 5 if k == 0 else 3 for k, o in enumerate(world.offers)},
            now=world.at("wishes"),
        )

    # 1. The resident completes her file and rates the four posts.
    sign_in(page, live_server, "junior1@etu.exemple.fr")
    page.goto(live_server.url + "/cockpit/mon-appariement/")
    document = tmp_path / "piece.pdf"
    document.write_bytes(PDF)
    for label in ("CV", "lettre de motivation", "contrat de formation"):
        page.locator("select[name=kind]").select_option(label=label)
        page.locator("input[name=file]").set_input_files(str(document))
        page.get_by_role("button", name="Déposer").click()
        page.get_by_text("Pièce déposée.").wait_for()
    page.get_by_label("Cardiologie 1", exact=True).select_option("5")
    page.get_by_label("Cardiologie 2", exact=True).select_option("4")
    page.get_by_label("Cardiologie 3", exact=True).select_option("2")
    page.get_by_role("button", name="Valider mes vœux").click()
    # Three: refused, with the rule, in the error summary and at the wishes.
    page.locator(".fr-alert--error").get_by_text("il en faut au moins 4").wait_for()
    page.get_by_label("Cardiologie 4", exact=True).select_option("1")
    page.get_by_role("button", name="Valider mes vœux").click()
    page.get_by_text("Vos vœux sont enregistrés").wait_for()
    screenshot("50-appariement-voeux")
    page.context.clear_cookies()

    # 2. The supervisor of "Cardiologie 1" ranks his four applicants; she is third.
    world.move_calendar("ranking")
    supervisor = world.supervisors[0]
    sign_in(page, live_server, supervisor.email)
    page.goto(live_server.url + "/cockpit/classements/")
    page.get_by_role("link", name="Cardiologie 1").click()
    ranks = {candidacies[1].pk: 1, candidacies[2].pk: 2, me.pk: 3, candidacies[3].pk: 4}
    for pk, rank in ranks.items():
        page.locator(f"#id_c{pk}").fill(str(rank))
    page.get_by_role("button", name="Enregistrer mon classement").click()
    page.get_by_text("Classement enregistré.").wait_for()
    screenshot("51-appariement-classement")
    page.context.clear_cookies()
    # The other supervisors rank in the order of arrival.
    for k, offer in enumerate(world.offers[1:], start=1):
        services.ranking_submit(
            by=world.supervisors[k],
            offer=offer,
            ranks={c.pk: n + 1 for n, c in enumerate(candidacies)},
            now=world.at("ranking"),
        )

    # 3. The ARS computes, then publishes.
    world.move_calendar("after")
    sign_in(page, live_server, world.ars.email)
    page.goto(live_server.url + world.campaign.get_absolute_url())
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Calculer l'appariement").click()
    page.get_by_text("Calcul lancé").wait_for()
    page.get_by_text("Terminé").wait_for()
    assert "4 / 4" in page.locator("#calculs-tour-1").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publier ce résultat").click()
    page.get_by_text("Résultats publiés : chaque interne").wait_for()
    screenshot("52-appariement-publication")
    page.context.clear_cookies()

    # 4. She sees her post and why she did not get the one she preferred.
    sign_in(page, live_server, "junior1@etu.exemple.fr")
    page.goto(live_server.url + "/cockpit/mon-appariement/")
    page.get_by_text("Votre poste : Cardiologie 2").wait_for()
    explanation = page.get_by_role("row", name="Cardiologie 1").inner_text()
    assert "candidats que le responsable a classés avant vous" in explanation
    assert "JUNIOR2" not in page.content()
    screenshot("53-appariement-resultat")
