"""The matching pages as each actor sees them."""

import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from domains.matching import services
from tests.factories.matching import complete_file, matching_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return matching_world(residents=3, sites=5)


def test_the_resident_rates_the_posts_of_her_specialty_with_the_rules_shown(
    client, world
):
    candidacy = world.round.candidacies.order_by("pk").first()
    complete_file(world, candidacy)
    client.force_login(candidacy.resident.person.user)
    page = client.get("/cockpit/mon-appariement/").content.decode()
    assert "Cardiologie 1" in page and "Cardiologie 4" in page
    assert "Il faut au moins 4 vœux et au moins 20 % des postes proposés" in page
    three = {f"o{o.pk}": "3" for o in world.offers[:3]} | {
        f"o{world.offers[3].pk}": "0"
    }
    response = client.post(
        f"/cockpit/mon-appariement/{candidacy.pk}/voeux/", three, follow=True
    )
    assert "Vous avez noté 3 poste(s) : il en faut au moins 4" in (
        response.content.decode()
    )
    four = {f"o{o.pk}": "3" for o in world.offers[:4]}
    response = client.post(
        f"/cockpit/mon-appariement/{candidacy.pk}/voeux/", four, follow=True
    )
    assert "Vos vœux sont enregistrés" in response.content.decode()
    assert candidacy.wishes.count() == 4
    world.move_calendar("ranking")
    page = client.get("/cockpit/mon-appariement/").content.decode()
    assert "ne sont pas modifiables en dehors de la période de vœux" in page
    assert "Valider mes vœux" not in page


def test_the_coordinator_reads_the_dashboard_but_cannot_compute(
    client, world, coordinator
):
    url = world.campaign.get_absolute_url()
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "internes ayant validé leurs vœux" in page
    assert "Calculer l'appariement" not in page
    assert client.post(url.rstrip("/") + "/tours/1/calculer/").status_code == 403
    client.force_login(world.ars)
    assert "Calculer l'appariement" in client.get(url).content.decode()


def test_reminders_reach_those_who_have_not_applied(
    client, world, django_capture_on_commit_callbacks
):
    applied = world.round.candidacies.order_by("pk").first()
    complete_file(world, applied)
    services.wishes_submit(
        by=applied.resident.person.user,
        candidacy=applied,
        hearts={o.pk: 2 for o in world.offers},
        now=world.at("wishes"),
    )
    client.force_login(world.ars)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            world.campaign.get_absolute_url() + "tours/1/relancer/",
            {"audience": "candidats"},
            follow=True,
        )
    assert "2 relances envoyées par e-mail." in response.content.decode()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["junior2@etu.exemple.fr", "junior3@etu.exemple.fr"]
    assert "vos vœux ne sont pas encore validés" in mail.outbox[0].body


def test_supervisor_sees_his_applicants_files_and_others_do_not(client, world):
    candidacy = world.round.candidacies.order_by("pk").first()
    complete_file(world, candidacy)
    services.wishes_submit(
        by=candidacy.resident.person.user,
        candidacy=candidacy,
        hearts={o.pk: 4 for o in world.offers[:4]},  # not the fifth post
        now=world.at("wishes"),
    )
    cv = f"/cockpit/candidatures/{candidacy.pk}/cv/"
    client.force_login(world.supervisors[0])
    page = client.get(f"/cockpit/classements/{world.offers[0].pk}/").content.decode()
    assert candidacy.resident.person.full_name in page
    response = client.get(cv)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(world.supervisors[4])
    assert client.get(cv).status_code == 404
    assert client.get(f"/cockpit/classements/{world.offers[0].pk}/").status_code == 404


def test_published_results_export_to_xlsx(
    client, world, django_capture_on_commit_callbacks
):
    for candidacy in world.round.candidacies.order_by("pk"):
        complete_file(world, candidacy)
        services.wishes_submit(
            by=candidacy.resident.person.user,
            candidacy=candidacy,
            hearts={o.pk: 3 for o in world.offers[:4]},
            now=world.at("wishes"),
        )
    world.move_calendar("ranking")
    for k, offer in enumerate(world.offers[:4]):
        services.ranking_submit(
            by=world.supervisors[k],
            offer=offer,
            ranks={c.pk: 1 for c in world.round.candidacies.all()},
            now=world.at("ranking"),
        )
    world.move_calendar("after")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(by=world.ars, matching_round=world.round)
    run.refresh_from_db()
    services.round_publish(by=world.ars, matching_round=world.round, run=run)
    client.force_login(world.ars)
    response = client.get(world.campaign.get_absolute_url() + "tours/1/resultats/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Nom",
        "Prénom",
        "Subdivision",
        "Terrain",
        "Établissement",
        "DES",
        "Résultat",
    )
    assert sorted(r[0] for r in rows[1:]) == ["JUNIOR1", "JUNIOR2", "JUNIOR3"]
    assert {r[-1] for r in rows[1:]} == {"affecté(e)"}
    assert {r[3] for r in rows[1:]} <= {f"Cardiologie {n}" for n in range(1, 5)}
