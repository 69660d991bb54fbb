"""The generic machinery, seen through the referential screens."""

import csv
import html
import io

import pytest
from openpyxl import load_workbook

from domains.cockpit.export import neutralise
from domains.cockpit.models import ListPreference, SavedFilter
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    EstablishmentFactory,
    TrainingSiteFactory,
    region,
    subdivision,
)

pytestmark = pytest.mark.django_db
SITES = "/cockpit/terrains-de-stage/"


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


@pytest.mark.parametrize("dangerous", ["=1+1", "+33 4 72", "-2", "@SUM(A1)", "\tx"])
def test_cells_that_a_spreadsheet_would_run_are_neutralised(dangerous):
    assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Lyon") == "Lyon"
    assert neutralise(-2) == -2


def test_export_csv_follows_the_filters_and_neutralises_formulas(client, ars):
    TrainingSiteFactory(name='=HYPERLINK("http://x")', department="Urgences")
    TrainingSiteFactory(name="Pédiatrie Lyon", department="Pédiatrie")
    response = client.get(f"{SITES}export/csv/", {"q": "HYPERLINK"})
    rows = csv_rows(response)
    assert rows[0][:3] == ["Nom", "Service", "Établissement"]
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="terrains-de-stage.csv"'
    )


def test_export_xlsx_is_a_readable_workbook_with_french_values(client, ars):
    TrainingSiteFactory(name="Cardiologie Croix-Rousse", is_active=False)
    response = client.get(f"{SITES}export/xlsx/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    assert sheet.title == "Terrains de stage"
    assert "Actif" in header
    assert row[header.index("Nom")] == "Cardiologie Croix-Rousse"
    assert row[header.index("Actif")] == "Non"


def test_list_searches_filters_sorts_and_paginates(client, ars):
    for i in range(30):
        TrainingSiteFactory(name=f"Service {i:02d}", kind="hospital")
    TrainingSiteFactory(name="Cabinet du Dr Martin", kind="ambulatory")
    page = client.get(SITES, {"kind": "ambulatory"}).content.decode()
    assert "Cabinet du Dr Martin" in page and "Service 01" not in page
    page = client.get(SITES, {"q": "dr martin"}).content.decode()
    assert "1 résultat" in page
    page = client.get(SITES, {"sort": "-name"}).content.decode()
    assert page.index("Service 29") < page.index("Service 28")
    page = client.get(SITES, {"sort": "name", "page": 2}).content.decode()
    assert "Service 29" in page and "Service 00" not in page
    assert 'aria-current="page"' in page


def test_column_choice_and_page_size_are_remembered(client, ars):
    TrainingSiteFactory(name="Néphrologie Lyon", department="Service-témoin")
    response = client.post(
        f"{SITES}colonnes/", {"columns": ["name", "subdivision"], "per_page": "50"}
    )
    assert response.status_code == 302
    preference = ListPreference.objects.get(user=ars, screen="terrains-de-stage")
    assert preference.per_page == 50
    assert "department" in preference.hidden_columns
    page = client.get(SITES).content.decode()
    assert "Néphrologie Lyon" in page
    assert "Service-témoin" not in page  # the Service column is hidden


def test_saved_filter_is_shared_with_the_same_role_and_perimeter_only(
    client, ars, people
):
    client.post(
        f"{SITES}filtres/",
        {"name": "Ambulatoires", "query": "kind=ambulatory&page=3", "shared": "on"},
    )
    saved = SavedFilter.objects.get()
    assert saved.query == "kind=ambulatory"  # paging is not a criterion
    colleague = make_user_with_role(Role.ARS, region=region("84"))  # another agent
    other_region = people.ars_elsewhere
    client.force_login(colleague)
    assert "Ambulatoires" in client.get(SITES).content.decode()
    client.force_login(other_region)
    assert "Ambulatoires" not in client.get(SITES).content.decode()
    # Only its author deletes it.
    client.force_login(colleague)
    client.post(f"{SITES}filtres/{saved.pk}/supprimer/")
    assert SavedFilter.objects.exists()
    client.force_login(ars)
    client.post(f"{SITES}filtres/{saved.pk}/supprimer/")
    assert not SavedFilter.objects.exists()


def test_saving_a_filter_without_criteria_is_refused_with_a_message(client, ars):
    response = client.post(
        f"{SITES}filtres/", {"name": "Vide", "query": "page=2"}, follow=True
    )
    assert "Choisissez au moins un critère" in html.unescape(response.content.decode())
    assert not SavedFilter.objects.exists()


def test_bulk_action_asks_confirmation_then_runs_through_the_service(client, ars):
    sites = [TrainingSiteFactory(name=f"Site {i}") for i in range(3)]
    data = {"action": "deactivate", "selection": [s.pk for s in sites[:2]]}
    page = client.post(f"{SITES}actions/", data).content.decode()
    assert "Désactiver ces 2 terrains de stage ?" in page
    response = client.post(f"{SITES}actions/", {**data, "confirmed": "1"}, follow=True)
    assert "Désactiver : 2 lignes traitées." in response.content.decode()
    states = [s.is_active for s in type(sites[0]).objects.order_by("pk")]
    assert states == [False, False, True]
    assert sites[0].history.latest().history_user == ars


def test_bulk_action_on_a_record_outside_the_perimeter_is_refused_entirely(client, ars):
    mine = TrainingSiteFactory()
    theirs = TrainingSiteFactory(
        subdivision=subdivision("RENNES"),
        establishment=EstablishmentFactory(region=region("53")),
    )
    response = client.post(
        f"{SITES}actions/",
        {"action": "deactivate", "confirmed": "1", "selection": [mine.pk, theirs.pk]},
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.is_active


def test_a_person_with_two_functions_switches_and_the_scope_follows(client):
    lyon_site = TrainingSiteFactory(name="Site lyonnais")
    rennes_site = TrainingSiteFactory(
        name="Site rennais",
        subdivision=subdivision("RENNES"),
        establishment=EstablishmentFactory(region=region("53")),
    )
    user = make_user_with_role(Role.SITE_SUPERVISOR, training_site=lyon_site)
    second = function_grant(
        person=user.person,
        role=Role.SITE_SUPERVISOR,
        start_date=user.person.created_at.date(),
        training_site=rennes_site,
        by=SYSTEM,
    )
    client.force_login(user)
    page = client.get(SITES).content.decode()
    assert "Site lyonnais" in page and "Site rennais" not in page
    client.post("/cockpit/fonction/", {"function": second.pk})
    page = client.get(SITES).content.decode()
    assert "Site rennais" in page and "Site lyonnais" not in page
    assert client.get(f"{SITES}{lyon_site.pk}/").status_code == 404


def test_switching_to_a_function_one_does_not_hold_is_refused(client, ars, people):
    other = people.dgos
    response = client.post(
        "/cockpit/fonction/", {"function": other.person.functions.get().pk}, follow=True
    )
    assert "n'est pas l'une des vôtres" in html.unescape(response.content.decode())


def test_menu_shows_only_what_the_active_function_allows(client, people):
    resident = people.resident
    client.force_login(resident)
    page = client.get("/cockpit/").content.decode()
    assert "Mes adresses e-mail" in page
    assert "Terrains de stage" not in page and "Personnes et fonctions" not in page
    assert client.get(SITES).status_code == 403


def test_dashboard_counts_what_matters_in_the_perimeter(client, ars):
    EstablishmentFactory(name="Sans identifiant", finess="", region=region("84"))
    EstablishmentFactory(name="Ailleurs", finess="", region=region("53"))
    page = client.get("/cockpit/").content.decode()
    assert 'data-card="Établissements à corriger">1<' in page
