"""REPRISE DES DONNÉES: upload → dry-run report → confirmation → commit → history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from domains.referential.models import Establishment
from imports.models import ImportRun
from tests.conftest import page_text
from tests.factories.referential import region
from tests.imports.test_import_chain import ESTABLISHMENTS, csv_bytes

pytestmark = pytest.mark.django_db
UPLOAD = "/cockpit/reprise/deposer/"


def upload(client, content: bytes, name="etablissements.csv", kind="etablissements"):
    return client.post(
        UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_upload_dry_run_then_commit(client, ars, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_bytes(ESTABLISHMENTS))
    run = ImportRun.objects.get()
    assert response.url == f"/cockpit/reprise/{run.pk}/"
    assert (run.status, run.region, run.total_rows) == ("checked", region("84"), 3)
    assert not Establishment.objects.filter(legacy_id="E1").exists()
    page = page_text(client.get(response.url))
    assert "Résultat de l'essai (rien n'est encore écrit)" in page
    assert "Ligne 4" in page and "valeur obligatoire manquante" in page
    report = client.get(f"/cockpit/reprise/{run.pk}/telecharger/rapport/")
    assert report.status_code == 200
    assert client.get(f"/cockpit/reprise/{run.pk}/progression/").json()["done"] == 3

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cockpit/reprise/{run.pk}/decision/confirmer/")
    run.refresh_from_db()
    assert run.status == "committed" and run.committed_by == ars
    assert Establishment.objects.get(legacy_id="E1").region == region("84")
    assert "Importé" in page_text(client.get("/cockpit/reprise/"))
    original = client.get(f"/cockpit/reprise/{run.pk}/telecharger/fichier/")
    assert b"".join(original.streaming_content) == csv_bytes(ESTABLISHMENTS)


def test_a_renamed_pdf_is_refused_at_upload(client, ars):
    response = upload(client, b"%PDF-1.7 not a sheet", name="etablissements.xlsx")
    assert "ni un classeur XLSX ni un fichier CSV" in page_text(response)
    assert not ImportRun.objects.exists()


def test_another_region_sees_nothing(
    client, ars, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(ESTABLISHMENTS))
    run = ImportRun.objects.get()
    client.force_login(people.ars_elsewhere)
    assert "etablissements.csv" not in page_text(client.get("/cockpit/reprise/"))
    assert client.get(f"/cockpit/reprise/{run.pk}/").status_code == 404
    assert (
        client.get(f"/cockpit/reprise/{run.pk}/telecharger/fichier/").status_code == 404
    )
    assert (
        client.post(f"/cockpit/reprise/{run.pk}/decision/confirmer/").status_code == 404
    )
    client.force_login(people.resident)
    assert client.get(UPLOAD).status_code == 403
