"""Stored codes, ISO dates and Python's True/False/None never reach a reader: pages
say labels and dd/mm/yyyy dates."""

import re

import pytest

from domains.cockpit.history import entries
from domains.referential import services as referential_services
from domains.residents.models import MassOperation
from tests.conftest import page_text
from tests.factories.referential import TrainingSiteFactory

pytestmark = pytest.mark.django_db


def _words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(response)))


def test_a_mass_operation_reads_validee_with_its_french_date(client, people):
    registry_user = people.faculty_registry
    MassOperation.objects.create(
        kind=MassOperation.Kind.PHASE_CHANGE,
        parameters={"jury_date": "2026-11-30", "decision": "validated"},
        count=1,
        by=registry_user,
    )
    MassOperation.objects.create(
        kind=MassOperation.Kind.THESIS,
        parameters={"date": "2026-10-02"},
        count=3,
        by=registry_user,
    )
    client.force_login(registry_user)
    response = client.get("/cockpit/internes/traitements/")
    text = _words(response)
    assert "Phase validée — jury du 30/11/2026" in text
    assert "le 02/10/2026" in text
    assert "2026-11-30" not in text and "validated" not in text
    assert "2026-10-02" not in text
    page = page_text(response)
    assert "Annuler ce traitement ? L'interne concerné retrouve l'état d'avant." in page
    assert "Annuler ce traitement ? Les 3 internes concernés retrouvent" in page


def test_the_history_says_oui_non_labels_and_french_dates(ars):
    site = TrainingSiteFactory(name="Cardiologie A")
    referential_services.training_site_update(
        training_site=site, is_active=False, by=ars
    )
    changes = entries(site.history.all())[0].changes
    assert ("actif", "Oui", "Non") in [
        (field.lower(), before, after) for field, before, after in changes
    ]
    said = " ".join(f"{f} {b} {a}" for f, b, a in changes)
    assert "True" not in said and "False" not in said and "None" not in said


def test_a_json_value_in_the_history_reads_as_french_words():
    from domains.cockpit.history import _readable

    stored = {"jury_date": "2026-11-30", "cesp": True, "note": None, "n": 2}
    assert _readable(stored) == "jury_date : 30/11/2026 ; cesp : Oui ; note : — ; n : 2"
    assert _readable(False) == "Non" and _readable(None) == "—"


def test_a_closed_wish_reads_its_hearts_not_a_number(client):
    from domains.matching import services
    from tests.factories.matching import complete_file, matching_world

    world = matching_world(residents=1, sites=4)
    candidacy = world.round.candidacies.get()
    complete_file(world, candidacy)
    services.wishes_submit(
        by=candidacy.resident.person.user,
        candidacy=candidacy,
        hearts={o.pk: 3 for o in world.offers},
        now=world.at("wishes"),
    )
    world.move_calendar("ranking")
    client.force_login(candidacy.resident.person.user)
    page = page_text(client.get("/cockpit/mon-appariement/"))
    hearts = re.findall(r"<td>([^<]*)</td>\s*</tr>", page)
    assert hearts and set(hearts) == {"♥♥♥"}
