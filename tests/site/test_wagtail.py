import csv
import io

import pytest

from tests.conftest import login_verified
from tests.factories.referential import region

pytestmark = pytest.mark.django_db


def test_public_home_page_is_served_by_wagtail_in_french(client_fr):
    response = client_fr.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>SIIMOP</h1>" in page
    assert "Se connecter" in page
    assert "République" in page  # DSFR header brand


def test_wagtail_admin_asks_visitors_to_sign_in(client):
    response = client.get("/admin/", follow=True)
    # Through our sign-in form and its policy, not Wagtail's own.
    assert response.redirect_chain[-1][0] == "/compte/connexion/?next=/admin/"


def test_uness_admin_reaches_the_wagtail_admin_with_the_national_catalogues(
    client, uness_admin
):
    login_verified(client, uness_admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    # The sidebar is rendered from JSON props, with non-ASCII characters escaped.
    page = response.content.decode()
    assert '"name": "referentiel-national"' in page
    assert "/admin/subdivisions/" in page


def test_an_ars_agent_has_no_access_to_the_wagtail_admin(client, ars):
    response = client.get("/admin/subdivisions/")
    assert response.status_code in (302, 403)


def test_subdivisions_are_listed_filtered_and_searched(client, uness_admin):
    login_verified(client, uness_admin)
    page = client.get("/admin/subdivisions/").content.decode()
    assert "Antilles-Guyane" in page and "Saint-Étienne" in page
    filtered = client.get(
        "/admin/subdivisions/", {"region": region("84").pk}
    ).content.decode()
    assert "Clermont-Ferrand" in filtered and "Grenoble" in filtered
    assert "Bordeaux" not in filtered
    searched = client.get("/admin/subdivisions/", {"q": "Océan"})
    assert "Océan Indien" in searched.content.decode()
    assert "Bordeaux" not in searched.content.decode()


def test_specialties_export_to_csv_with_official_codes(client, uness_admin):
    login_verified(client, uness_admin)
    response = client.get("/admin/specialites/", {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 1 + 109
    labels = {row[2] for row in rows[1:]}
    assert "Médecine générale" in labels
    assert any(row[0] == "DES-MGE" for row in rows)


def test_wagtail_csv_exports_write_no_formula(client, uness_admin):
    from domains.referential.models import Region

    Region.objects.filter(code="84").update(name='=HYPERLINK("http://x","y")')
    login_verified(client, uness_admin)
    response = client.get("/admin/regions/", {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_regions_export_to_xlsx(client, uness_admin):
    from openpyxl import load_workbook

    login_verified(client, uness_admin)
    response = client.get("/admin/regions/", {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "Corse" in values and len(values) == 18


def test_editing_a_subdivision_in_the_admin_is_saved(client, uness_admin):
    from domains.referential.models import Subdivision

    login_verified(client, uness_admin)
    marseille = Subdivision.objects.get(code="MARSEILLE")
    response = client.post(
        f"/admin/subdivisions/edit/{marseille.pk}/",
        {
            "code": "MARSEILLE",
            "name": "Aix-Marseille",
            "region": marseille.region_id,
            "chu_city": "Marseille",
            "comment": "",
        },
    )
    assert response.status_code == 302
    marseille.refresh_from_db()
    assert marseille.name == "Aix-Marseille"


def test_helpdesk_resolves_to_django_helpdesk_not_our_folder():
    import helpdesk

    assert "site-packages" in helpdesk.__file__
