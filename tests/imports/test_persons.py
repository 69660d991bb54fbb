"""Kind "personnes": a sure match is linked, a doubtful one waits for a person's eye."""

import pytest

from domains.people.models import Person
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from imports.kinds import IMPORTERS
from imports.models import PersonProposal
from imports.pipeline import Status, run_import
from tests.conftest import page_text
from tests.factories.people import make_person
from tests.factories.referential import TrainingSiteFactory, region
from tests.imports.test_import_chain import csv_bytes

pytestmark = pytest.mark.django_db
HEADERS = ["Nom", "Prénom", "Email", "Identifiant SIDES", "Terrain", "Fonction"]


@pytest.fixture
def site():
    return TrainingSiteFactory(legacy_id="T1")


def run(rows, commit=True):
    return run_import(
        IMPORTERS["personnes"](region=region("84"), by=SYSTEM),
        csv_bytes([HEADERS, *rows]),
        commit=commit,
    )


def test_sure_doubtful_new_and_rejected(site):
    known = make_person(
        email="s.moreau@chu-lyon.fr", first_name="Sophie", last_name="Moreau"
    )
    make_person(email="p.durand@chu-lyon.fr", first_name="Pierre", last_name="Durand")
    make_person(email="p.durand2@ch-vienne.fr", first_name="Pierre", last_name="Durand")
    report = run(
        [
            ["Moreau", "Sophie", "S.Moreau@chu-lyon.fr", "SID-1", "T1", "RTS"],
            ["DURAND", "pierre", "", "SID-2", "T1", "MSU"],
            ["Nouveau", "Nina", "nina@cabinet.fr", "", "T1", "Assistant"],
            ["Inconnu", "Ivan", "", "", "", ""],
        ]
    )
    assert [r.status for r in report.results] == [
        Status.UPDATED,
        Status.TO_REVIEW,
        Status.CREATED,
        Status.REJECTED,
    ]
    assert known.legacy_ids.get().value == "SID-1"
    assert known.functions.get(role=Role.SITE_SUPERVISOR).training_site == site
    proposal = PersonProposal.objects.get()
    assert proposal.candidates.count() == 2 and "même nom" in proposal.reason
    assert Person.objects.filter(emails__email="nina@cabinet.fr").exists()
    assert (
        run([["Moreau", "Sophie", "s.moreau@chu-lyon.fr", "SID-1", "T1", "RTS"]])
        .results[0]
        .status
        == Status.UNCHANGED
    )


def test_the_ars_links_a_proposal_in_the_cockpit(client, site, people):
    first = make_person(
        email="p.durand@chu-lyon.fr", first_name="Pierre", last_name="Durand"
    )
    make_person(email="p.durand2@ch-vienne.fr", first_name="Pierre", last_name="Durand")
    run([["Durand", "Pierre", "", "SID-2", "T1", "MSU"]])
    proposal = PersonProposal.objects.get()
    client.force_login(people.ars)
    page = page_text(client.get(f"/cockpit/personnes-a-rapprocher/{proposal.pk}/"))
    assert "p.durand2@ch-vienne.fr" in page and "C'est cette personne" in page
    client.post(
        f"/cockpit/personnes-a-rapprocher/{proposal.pk}/decision/rattacher/",
        {"person": first.pk},
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.person) == ("linked", first)
    assert first.legacy_ids.get().value == "SID-2"
    assert first.functions.get(role=Role.PRACTITIONER).training_site == site
    client.force_login(people.ars_elsewhere)
    assert (
        client.get(f"/cockpit/personnes-a-rapprocher/{proposal.pk}/").status_code == 404
    )


def test_linking_to_someone_not_proposed_is_refused_and_an_ars_elsewhere_cannot(
    client, site, people
):
    make_person(email="p.durand@chu-lyon.fr", first_name="Pierre", last_name="Durand")
    make_person(email="p.durand2@ch-vienne.fr", first_name="Pierre", last_name="Durand")
    stranger = make_person(email="x@y.fr", first_name="Xavier", last_name="Autre")
    run([["Durand", "Pierre", "", "SID-2", "T1", "MSU"]])
    proposal = PersonProposal.objects.get()
    url = f"/cockpit/personnes-a-rapprocher/{proposal.pk}/decision/"
    client.force_login(people.ars)

    response = client.post(f"{url}rattacher/", {"person": stranger.pk}, follow=True)
    assert "Choisissez l'une des personnes proposées." in page_text(response)
    page = page_text(client.post(f"{url}ecarter/", follow=True))
    assert "Proposition écartée." in page
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and proposal.person is None
    # Once decided, nothing more is offered, and a second decision is refused.
    assert "Écarter" not in page_text(
        client.get(f"/cockpit/personnes-a-rapprocher/{proposal.pk}/")
    )
    assert client.post(f"{url}inventee/").status_code == 404

    client.force_login(people.ars_elsewhere)
    assert client.post(f"{url}creer/").status_code == 404


def test_a_dry_run_proposes_nothing(site):
    make_person(email="a@x.fr", first_name="Pierre", last_name="Durand")
    make_person(email="b@x.fr", first_name="Pierre", last_name="Durand")
    report = run([["Durand", "Pierre", "", "", "T1", ""]], commit=False)
    assert report.results[0].status == Status.TO_REVIEW
    assert not PersonProposal.objects.exists()
