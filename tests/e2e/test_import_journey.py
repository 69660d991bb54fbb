"""An ARS agent recovers an IMOTEP file: upload, dry-run report, commit, progress, history.

The django-q2 worker is played by the test (tasks queued, then run here) so that the
browser shows the progress bar of a job still running, then its result."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from imports import tasks
from imports.models import ImportRun
from tests.factories.people import PASSWORD, make_person
from tests.factories.referential import region
from tests.imports.test_import_chain import ESTABLISHMENTS, csv_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_dry_run_commit_and_history(
    live_server, page, screenshot, tmp_path, monkeypatch
):
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)  # queued, run below
    agent = make_person(
        email="claire.dumont@ars.sante.fr", first_name="Claire", last_name="Dumont"
    )
    function_grant(
        person=agent,
        role=Role.ARS,
        start_date=timezone.localdate(),
        region=region("84"),
        by=SYSTEM,
    )
    source = tmp_path / "imotep-etablissements.csv"
    source.write_bytes(csv_bytes(ESTABLISHMENTS))

    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("claire.dumont@ars.sante.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/cockpit/")

    page.goto(live_server.url + "/cockpit/reprise/deposer/")
    page.get_by_label("Type de fichier").select_option("etablissements")
    page.locator("#id_file").set_input_files(str(source))
    page.get_by_role("button", name="Essayer ce fichier").click()
    page.get_by_text("l'essai est lancé").wait_for()
    expect(page.locator("#import-progress")).to_be_visible()
    screenshot("50-reprise-essai-en-cours")

    run = ImportRun.objects.get()
    tasks.check(run.pk)  # the worker's part
    page.get_by_text("Résultat de l'essai (rien n'est encore écrit)").wait_for()
    assert "Ligne 4" in page.locator("#problems").inner_text()
    screenshot("51-reprise-rapport-essai")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("Import confirmé").wait_for()
    expect(page.locator("#import-progress")).to_be_visible()
    tasks.commit(run.pk)
    page.get_by_text("Résultat de l'import").wait_for()
    screenshot("52-reprise-importe")

    page.goto(live_server.url + "/cockpit/reprise/")
    assert "Importé" in page.content()
    screenshot("53-reprise-historique")
