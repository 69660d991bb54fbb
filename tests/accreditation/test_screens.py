"""The accreditation pages as each actor sees them: the RTS's space and dossier,
the request page and its actions by URL, the supervision list and export inside and
outside the perimeter, the commission (agenda, PDF pack, live proposals, minutes),
the decisions, the dashboards, the national view and the public list."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from domains.accreditation.models import AccreditationRequest, DossierVersion
from tests.conftest import login_verified
from tests.factories.accreditation import CARDIO, make_world
from tests.factories.matching import pdf
from tests.factories.referential import phase, specialty

pytestmark = pytest.mark.django_db

DOSSIER = {
    "site_activity": "Service de 40 lits.",
    "teaching_project": "Compagnonnage et staff quotidien.",
    "supervision": "4 praticiens.",
    "equipment": "Échographie.",
    "teaching_meetings": "Bibliographie hebdomadaire.",
    "research": "12 publications.",
    "max_residents": "3",
    "type": "principal",
}


def text_of(response) -> str:
    return response.content.decode()


def test_the_rts_creates_fills_attaches_and_submits_his_dossier(client):
    w = make_world()
    client.force_login(w.rts)
    home = client.get("/cockpit/mes-agrements/")
    assert w.campaign.name in text_of(home) and w.site.name in text_of(home)
    created = client.post(
        "/cockpit/mes-agrements/",
        {
            "campaign": w.campaign.pk,
            "training_site": w.site.pk,
            "specialty": specialty(CARDIO).pk,
            "type": "principal",
            "phases": [phase("socle").pk],
        },
    )
    accreditation_request = AccreditationRequest.objects.get()
    assert (
        created.url == f"/cockpit/demandes-agrement/{accreditation_request.pk}/dossier/"
    )
    url = created.url
    # Submitting an incomplete dossier says what is missing, nothing is filed.
    page = client.post(
        url, {"type": "principal", "phases": [phase("socle").pk], "submit": "1"}
    )
    assert "Rubrique « Projet pédagogique » à remplir." in text_of(page)
    assert not DossierVersion.objects.exists()
    # A piece that is not a PDF is refused by name.
    refused = client.post(
        url, {"title": "Projet", "file": SimpleUploadedFile("projet.docx", b"PK\x03")}
    )
    assert "Projet : seul un fichier PDF est accepté." in text_of(refused)
    client.post(url, {"title": "Projet pédagogique", "file": pdf("projet.pdf")})
    data = {
        **DOSSIER,
        "supervisor_specialty": specialty(CARDIO).pk,
        "phases": [phase("socle").pk],
    }
    assert client.post(url, {**data, "draft": "1"}).status_code == 302
    accreditation_request.refresh_from_db()
    assert (
        accreditation_request.status == "draft"
        and accreditation_request.max_residents == 3
    )
    submitted = client.post(url, {**data, "submit": "1"}, follow=True)
    assert "Dossier déposé" in text_of(submitted)
    assert "Projet pédagogique" in text_of(submitted)
    accreditation_request.refresh_from_db()
    assert (
        accreditation_request.status == "submitted"
        and accreditation_request.versions.count() == 1
    )
    # Another actor opening the dossier lands on the read-only page.
    client.force_login(w.coordinator)
    assert (
        client.get(url).url == f"/cockpit/demandes-agrement/{accreditation_request.pk}/"
    )


def test_supervision_list_detail_and_export_inside_and_outside_the_perimeter(
    client, resident
):
    w = make_world()
    accreditation_request = w.filed()
    inside = [w.ars, w.registry, w.coordinator, w.representative, w.rts, w.dam]
    outside = [w.other_ars, w.other_coordinator, resident]
    for user in inside:
        client.force_login(user)
        assert w.site.name in text_of(client.get("/cockpit/demandes-agrement/"))
        assert (
            client.get(
                f"/cockpit/demandes-agrement/{accreditation_request.pk}/"
            ).status_code
            == 200
        )
        export = client.get("/cockpit/demandes-agrement/export/csv/")
        rows = list(
            csv.reader(
                io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")),
                delimiter=";",
            )
        )
        assert any(w.site.name in row for row in rows), user
    for user in outside:
        client.force_login(user)
        listing = client.get("/cockpit/demandes-agrement/")
        assert listing.status_code in (200, 403)
        assert w.site.name not in text_of(listing)
        assert client.get(
            f"/cockpit/demandes-agrement/{accreditation_request.pk}/"
        ).status_code in (
            403,
            404,
        )
        action = client.post(
            f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/schedule/"
        )
        assert action.status_code in (403, 404)


def test_actions_by_url_are_refused_to_the_wrong_actor_and_say_why(client):
    w = make_world()
    accreditation_request = w.filed()
    w.close_filing()
    client.force_login(w.coordinator)
    page = client.post(
        f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/schedule/",
        follow=True,
    )
    assert "« Inscrire à la commission » n&#x27;est pas ouvert à votre fonction" in (
        text_of(page)
    )
    accreditation_request.refresh_from_db()
    assert accreditation_request.status == "analysis"
    # The coordinator's own action: his written opinion.
    client.post(
        f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/opinion/",
        {"value": "favourable", "comment": "Terrain formateur."},
    )
    client.force_login(w.representative)
    empty = client.post(
        f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/opinion/",
        {"value": "reserved", "comment": ""},
        follow=True,
    )
    assert "L&#x27;avis est écrit : ajoutez un commentaire." in text_of(empty)
    client.post(
        f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/opinion/",
        {"value": "reserved", "comment": "Gardes lourdes."},
    )
    client.force_login(w.ars)
    detail = text_of(
        client.get(f"/cockpit/demandes-agrement/{accreditation_request.pk}/")
    )
    assert "Terrain formateur." in detail and "Gardes lourdes." in detail
    assert "Inscrire à la commission" in detail


def test_commission_agenda_pack_live_proposals_minutes_and_decisions(
    client, django_capture_on_commit_callbacks
):
    w = make_world()
    accreditation_request = w.filed()
    w.close_filing()
    w.to_commission(accreditation_request)
    login_verified(client, w.ars)
    campaign_url = f"/cockpit/campagnes-agrements/{w.campaign.pk}"
    agenda = text_of(client.get(f"{campaign_url}/commission/"))
    assert "Médecine cardiovasculaire" in agenda and w.site.name in agenda
    assert "Encadrement solide" in agenda and "Charge de travail" in agenda
    pack = client.get(f"{campaign_url}/commission/dossiers.pdf")
    year, region = w.campaign.year, w.campaign.region.code
    assert pack["Content-Disposition"] == (
        f'attachment; filename="commission-agrements-{year}-{region}.pdf"'
    )
    reader = PdfReader(io.BytesIO(pack.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Ordre du jour" in text and "Compagnonnage" in text
    assert "Avis du coordonnateur" in text and "Charge de travail" in text
    client.post(
        f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/propose/",
        {"outcome": "granted", "reason": ""},
    )
    minutes_response = client.get(f"{campaign_url}/commission/proces-verbal.pdf")
    assert minutes_response["Content-Disposition"] == (
        f'attachment; filename="proces-verbal-agrements-{year}-{region}.pdf"'
    )
    minutes = PdfReader(io.BytesIO(minutes_response.content))
    assert "Agrément 5 ans" in " ".join(minutes.pages[0].extract_text().split())
    decisions = text_of(client.get(f"{campaign_url}/decisions/"))
    assert "Signer la décision" in decisions and w.site.name in decisions
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/decide/",
            {"outcome": "granted", "reason": "", "override": ""},
        )
    accreditation_request.refresh_from_db()
    assert (
        accreditation_request.decision == "granted"
        and accreditation_request.accreditation_id
    )
    assert len(mail.outbox) == 2  # the letter to the RTS and to the DAM
    # The referential and the public list show it.
    client.logout()
    public = text_of(client.get("/terrains-agrees/", {"q": w.site.name}))
    # It takes effect on the campaign's date, not before.
    assert "Aucun agrément pour ces critères." in public
    login_verified(client, w.ars)
    board = text_of(client.get(f"{campaign_url}/"))
    assert "Agrément 5 ans</th><td>1</td>" in board


def test_the_public_list_shows_accreditations_in_force(client):
    from tests.factories.referential import AccreditationFactory, TrainingSiteFactory

    site = TrainingSiteFactory(name="Cardiologie Croix-Rousse")
    today = timezone.localdate()  # in force: granted a year ago, for five years
    AccreditationFactory(
        training_site=site,
        start_date=today - dt.timedelta(days=365),
        end_date=today + dt.timedelta(days=4 * 365),
    )
    page = text_of(client.get("/terrains-agrees/", {"q": "Croix-Rousse"}))
    assert "Cardiologie Croix-Rousse" in page and "1 agrément en vigueur" in page
    assert "Cardiologie Croix-Rousse" not in text_of(
        client.get("/terrains-agrees/", {"q": "Édouard-Herriot"})
    )


def test_dashboards_and_the_national_view(client, dgos):
    w = make_world()
    w.filed()
    w.new_request(specialty_code="DES-MGE", type="complementary")
    login_verified(client, w.ars)
    page = text_of(client.get(f"/cockpit/campagnes-agrements/{w.campaign.pk}/"))
    assert 'id="total-demandes">2<' in page
    assert "Déposée</th><td>1</td>" in page and "Brouillon</th><td>1</td>" in page
    client.force_login(w.rts)
    assert client.get("/cockpit/vue-nationale-agrements/").status_code == 403
    login_verified(client, dgos)
    national = text_of(client.get("/cockpit/vue-nationale-agrements/"))
    assert w.campaign.name in national and 'id="total-demandes">2<' in national
