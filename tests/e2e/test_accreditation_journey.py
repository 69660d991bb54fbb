"""An accreditation campaign in the browser, from its opening to the referential:
the ARS opens and publishes the campaign, the RTS files his dossier, the coordinator
and the residents' representative give their opinions, the commission records a
5-year proposal, the ARS signs the decision, and the accreditation appears in the
referential."""

import datetime as dt

import pytest
from django.utils import timezone

from domains.accreditation.models import AccreditationCampaign, AccreditationRequest
from domains.people.roles import Role
from tests.e2e.browser import sign_in
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    TrainingSiteFactory,
    subdivision,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_from_the_campaign_opening_to_the_accreditation(
    live_server, page, screenshot, people
):
    lyon = subdivision("LYON")
    # A site of its own, not yet accredited: the journey asks for its accreditation.
    site = TrainingSiteFactory(subdivision=lyon, name="Cardiologie Croix-Rousse")
    ars = people.ars
    rts = make_user_with_role(Role.SITE_SUPERVISOR, training_site=site)
    make_user_with_role(Role.MEDICAL_AFFAIRS, establishment=site.establishment)
    coordinator = people.coordinator  # of DES-MCA (CARDIO) in Lyon
    representative = people.resident_representative
    today = timezone.localdate()
    day = lambda n: (today + dt.timedelta(days=n)).isoformat()  # noqa: E731

    # 1. The ARS opens the campaign and publishes it.
    sign_in(page, live_server, ars)
    page.goto(live_server.url + "/cockpit/campagnes-agrements/nouveau/")
    page.get_by_label("Région").select_option(label="Auvergne-Rhône-Alpes")
    page.get_by_label("Année").fill(str(today.year))
    page.get_by_label("Ouverture des dépôts").fill(day(0))
    page.get_by_label("Clôture des dépôts").fill(f"{day(20)}T18:00")
    page.get_by_label("Avis attendus pour le").fill(day(30))
    page.get_by_label("Date de la commission").fill(day(40))
    page.get_by_label("Décisions au plus tard le").fill(day(50))
    page.get_by_label("Prise d'effet des agréments").fill(day(60))
    page.get_by_label("Spécialités concernées").select_option(
        label="Médecine cardiovasculaire"
    )
    for label in ("Phase socle", "Phase d'approfondissement"):
        page.get_by_label(label).check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("a été créé").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publier et envoyer l'e-mail").click()
    page.get_by_text("Campagne publiée").wait_for()
    screenshot("80-agrements-campagne-publiee")
    campaign = AccreditationCampaign.objects.get()

    # 2. The RTS files his dossier.
    sign_in(page, live_server, rts)
    page.goto(live_server.url + "/cockpit/mes-agrements/")
    page.get_by_text("Nouvelle demande").click()
    form = page.locator("#nouvelle-demande")
    form.get_by_label("Spécialité demandée").select_option(
        label="Médecine cardiovasculaire"
    )
    form.get_by_label("Campagne").select_option(label=campaign.name)
    form.get_by_label("Terrain de stage").select_option(label=site.name)
    form.get_by_label("Phase socle").check(force=True)
    form.get_by_role("button", name="Créer la demande").click()
    page.get_by_text("Demande créée").wait_for()
    for label, text in (
        ("Le terrain et son activité", "Service de 40 lits, 2 500 séjours par an."),
        ("Projet pédagogique", "Compagnonnage et objectifs par phase."),
        ("Encadrement", "4 praticiens dont 2 MSU."),
        ("Équipements et moyens", "Salle de cathétérisme."),
        ("Réunions d'enseignement", "Bibliographie hebdomadaire."),
        ("Recherche et publications", "12 publications en 5 ans."),
    ):
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Nombre maximal d'internes").fill("3")
    page.get_by_label("Spécialité du responsable").select_option(
        label="Médecine cardiovasculaire"
    )
    page.get_by_role("button", name="Déposer le dossier").click()
    page.get_by_text("Dossier déposé").wait_for()
    screenshot("81-agrements-dossier-depose")
    accreditation_request = AccreditationRequest.objects.get()

    # The deadline passes; the ARS closes the filing.
    AccreditationCampaign.objects.filter(pk=campaign.pk).update(
        filing_closes=timezone.now() - dt.timedelta(minutes=1)
    )
    sign_in(page, live_server, ars)
    page.goto(live_server.url + campaign.get_absolute_url())
    closing = []
    page.once(
        "dialog", lambda dialog: (closing.append(dialog.message), dialog.accept())
    )
    page.get_by_role("button", name="Clore les dépôts et passer en analyse").click()
    page.get_by_text("1 demande déposée passe en analyse.").wait_for()
    assert closing == ["Clore les dépôts ? La demande déposée passe en analyse."]

    # 3. The coordinator and the residents' representative give their opinions.
    for user, value, comment in (
        (coordinator, "Favorable", "Terrain formateur, encadrement solide."),
        (representative, "Réservé", "Gardes du week-end lourdes."),
    ):
        sign_in(page, live_server, user)
        page.goto(live_server.url + accreditation_request.get_absolute_url())
        page.locator("#form-avis").get_by_label(value, exact=True).check(force=True)
        page.get_by_label("Avis écrit").fill(comment)
        page.get_by_role("button", name="Enregistrer mon avis").click()
        page.get_by_text("Avis enregistré.").wait_for()
    screenshot("82-agrements-avis")

    # 4. The commission: on the agenda, a 5-year proposal recorded live.
    sign_in(page, live_server, ars)
    page.goto(
        live_server.url + f"/cockpit/campagnes-agrements/{campaign.pk}/commission/"
    )
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Les inscrire toutes à l'ordre du jour").click()
    page.get_by_text("1 demande inscrite").wait_for()
    assert asked == [
        "Inscrire la demande en analyse à l'ordre du jour de la commission ?"
    ]
    row = page.locator(f"#demande-{accreditation_request.pk}")
    assert "Terrain formateur" in row.inner_text() and "Gardes" in row.inner_text()
    row.get_by_label("Proposition").select_option(label="Agrément 5 ans")
    row.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Proposition enregistrée.").wait_for()
    screenshot("83-agrements-commission")

    # 5. The ARS signs the decision, following the proposal.
    page.goto(
        live_server.url + f"/cockpit/campagnes-agrements/{campaign.pk}/decisions/"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Signer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    screenshot("84-agrements-decision")

    # 6. The accreditation is in the referential, with its dates.
    page.goto(live_server.url + "/cockpit/agrements/?q=Croix-Rousse")
    start = campaign.effective_from
    end = start.replace(year=start.year + 5) - dt.timedelta(days=1)
    table = page.locator("table").first.inner_text()
    assert "Cardiologie Croix-Rousse" in table
    assert end.strftime("%d/%m/%Y") in table
    screenshot("85-agrements-referentiel")
