"""A refused form opens on a summary of its errors (RGAA): a DSFR alert at its top
saying how many errors, in French, each one a link to its field; the fields keep their
own DSFR error state."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from domains.people.forms import PERSON_FIELDS
from domains.referential.models import Accreditation, Post
from tests.conftest import page_text
from tests.factories.referential import (
    EstablishmentFactory,
    TrainingSiteFactory,
    current_semester,
    phase,
    specialty,
)

pytestmark = pytest.mark.django_db


def summary_of(response):
    """(heading, [(link target or None, text)]) of the page's error summary, and the
    page; the summary is None when the page has none."""
    assert response.status_code == 200
    soup = BeautifulSoup(page_text(response), "html.parser")
    box = soup.select_one("[data-error-summary]")
    if box is None:
        return None, soup
    # What the focus script and assistive technologies rely on.
    assert "fr-alert--error" in box["class"]
    assert box["role"] == "alert"
    assert box["tabindex"] == "-1"
    title = box.find(id=box["aria-labelledby"])
    items = [
        (li.a["href"] if li.a else None, " ".join(li.get_text().split()))
        for li in box.select("li")
    ]
    return (title.get_text(strip=True), items), soup


def test_a_wrong_finess_is_summarised_with_a_link_to_its_field(client, ars):
    establishment = EstablishmentFactory(name="CH de Vienne", finess="")
    response = client.post(
        f"/cockpit/etablissements/{establishment.pk}/modifier/",
        {"name": "CH de Vienne", "kind": "site", "finess": "380780081", "siret": ""},
    )
    (title, items), soup = summary_of(response)
    assert title == "Le formulaire contient 1 erreur"
    [(href, text)] = items
    assert href == "#id_finess"
    assert text.startswith("FINESS : ")
    assert "la clé de contrôle de « 380780081 » est fausse" in text
    # The link leads somewhere, and the field still shows its own error.
    field = soup.find(id="id_finess")
    assert field is not None and field.name == "input"
    group = field.find_parent(class_="fr-input-group")
    assert "fr-input-group--error" in group["class"]
    assert "est fausse" in group.select_one(".fr-error-text").get_text()


def test_an_empty_form_lists_every_missing_field_in_the_plural(client, ars):
    # What a browser sends for a form left blank (an empty POST would leave the form
    # unbound).
    response = client.post("/cockpit/agrements/nouveau/", {"decision_reference": ""})
    (title, items), soup = summary_of(response)
    required = ["training_site", "specialty", "phases", "type", "start_date"]
    assert title == f"Le formulaire contient {len(items)} erreurs"
    assert len(items) >= len(required)
    targets = [href for href, _text in items]
    # Checkbox lists label no single input: the link goes to the first choice.
    for name in required:
        anchor = f"#id_{name}_0" if name == "phases" else f"#id_{name}"
        assert anchor in targets, (name, targets)
    for href, text in items:
        assert soup.find(id=href[1:]) is not None, href
        label, message = text.split(" : ", 1)
        # The field's own error says the same.
        field = soup.find(id=href[1:])
        group = field.find_parent(class_=lambda c: c and c.endswith("--error"))
        assert message in group.get_text(), (label, message)
    assert not Accreditation.objects.exists()


def test_a_refusal_of_no_field_is_listed_without_a_link(client, ars):
    site = TrainingSiteFactory(name="Sans agrément")
    response = client.post(
        "/cockpit/postes/nouveau/",
        {
            "semester": current_semester().pk,
            "training_site": site.pk,
            "specialty": specialty().pk,
            "phase": phase().pk,
            "seats": 2,
        },
    )
    (title, items), _soup = summary_of(response)
    assert title == "Le formulaire contient 1 erreur"
    [(href, text)] = items
    assert "n'a pas d'agrément en cours" in text
    if href is not None:  # the service named the field: the link goes to it
        assert href.startswith("#id_")
    assert not Post.objects.exists()


def test_the_summary_shows_only_after_a_refused_submit(client, ars):
    establishment = EstablishmentFactory(name="CH de Vienne", finess="")
    summary, _soup = summary_of(
        client.get(f"/cockpit/etablissements/{establishment.pk}/modifier/")
    )
    assert summary is None


def test_a_domain_form_page_has_the_same_summary(client, resident):
    client.force_login(resident)
    person = resident.person
    data = {f: getattr(person, f) or "" for f in PERSON_FIELDS}
    data["birth_date"] = date.today().replace(year=date.today().year - 5).isoformat()
    response = client.post("/cockpit/mes-informations/", data)
    (title, items), _soup = summary_of(response)
    assert title == "Le formulaire contient 1 erreur"
    [(href, text)] = items
    assert href == "#id_birth_date"
    assert text.startswith("Date de naissance : ")
