"""The relevé de stages for the licence de remplacement (issue 20).

Inès, a general-practice resident of Lyon, has validated a hospital stage, a stage with
a general practitioner (an ambulatory practice accredited as principal in general
practice), an ambulatory stage with a pediatrician (the practice accredited for general
practice as complementary only) and a stage recovered from IMOTEP (archive); a fifth
stage is still pending. The PDF, read back, lists the four validated ones with their
type and says whether the Ordre's thresholds for her DES are met.
"""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from domains.people.permissions import SYSTEM
from domains.referential.models import AccreditationType, TrainingSiteKind
from domains.residents.models import (
    IssuedDocument,
    PlacementMode,
    ReplacementThreshold,
)
from domains.residents.rules import StageFact, ThresholdFact, threshold_verdict
from domains.residents.services import (
    placement_create,
    placements_validate,
    replacement_threshold_save,
)
from tests.conftest import login_verified, page_text
from tests.factories.referential import (
    AccreditationFactory,
    SemesterFactory,
    TrainingSiteFactory,
    phase,
    specialty,
    subdivision,
)
from tests.factories.residents import ALL_PHASES, add_placement, make_resident

pytestmark = pytest.mark.django_db
URL = "/cockpit/internes/{pk}/documents/replacement/"


def _site(name: str, kind: str, accreditation_type: str = AccreditationType.PRINCIPAL):
    site = TrainingSiteFactory(
        name=name, kind=kind, subdivision=subdivision("LYON"), department=""
    )
    AccreditationFactory(
        training_site=site,
        specialty=specialty("DES-MGE"),
        type=accreditation_type,
        start_date=date(2015, 11, 1),
        end_date=date(2035, 10, 31),
        phases=[phase(code) for code in ALL_PHASES],
    )
    return site


def _archived(resident, season, year, site):
    placement = placement_create(
        resident=resident,
        semester=SemesterFactory(season=season, year=year),
        training_site=site,
        specialty=specialty("DES-MGE"),
        phase=phase("socle"),
        mode=PlacementMode.ARCHIVE,
        archive_reason="Reprise IMOTEP : terrain sans FINESS",
        by=SYSTEM,
    )
    placements_validate(
        decisions=[{"placement": placement, "validated": True}], by=SYSTEM
    )
    return placement


@pytest.fixture
def ines():
    return make_resident(first_name="Inès", last_name="Fabre", specialty_code="DES-MGE")


def _pdf_text(response) -> str:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )


def _flat(text: str) -> str:
    """The PDF's words, one space apart (justified lines read back with wide gaps)."""
    return " ".join(text.split())


def _full_path(ines):
    add_placement(
        ines,
        "winter",
        2023,
        site=_site("Urgences Témoin Lyon-Sud", TrainingSiteKind.HOSPITAL),
        specialty_code="DES-MGE",
    )
    add_placement(
        ines,
        "summer",
        2024,
        site=_site("Cabinet du Dr Roux", TrainingSiteKind.AMBULATORY),
        specialty_code="DES-MGE",
    )
    add_placement(
        ines,
        "winter",
        2024,
        site=_site(
            "Cabinet de pédiatrie Vidal",
            TrainingSiteKind.AMBULATORY,
            AccreditationType.COMPLEMENTARY,
        ),
        specialty_code="DES-MGE",
    )
    _archived(
        ines,
        "winter",
        2019,
        TrainingSiteFactory(name="Service repris IMOTEP", department=""),
    )
    add_placement(
        ines,
        "summer",
        2025,
        validation=None,
        site=_site("Gériatrie en attente", TrainingSiteKind.HOSPITAL),
        specialty_code="DES-MGE",
    )


def test_the_record_lists_each_validated_stage_with_its_type_and_the_threshold_met(
    client, ines
):
    _full_path(ines)
    client.force_login(ines.person.user)
    text = _pdf_text(client.get(URL.format(pk=ines.pk)))
    assert "Relevé de stages pour la licence de remplacement" in text
    assert "a validé 4 stages (semestres)" in _flat(text)
    # Each row ends with its specialty; a wrapped cell's lines are read together.
    rows = _flat(text).split(" Médecine générale")

    def line_of(site: str) -> str:
        return next(row for row in rows if site in row)

    assert "Hospitalier" in line_of("Urgences Témoin Lyon-Sud")
    assert "Médecin généraliste" in line_of("Cabinet du Dr Roux")
    assert "Ambulatoire" in line_of("Cabinet de pédiatrie Vidal")
    archived = line_of("Service repris IMOTEP")
    assert "*" in archived and "01/11/2019" in archived
    assert "stage repris de l'historique (archive)" in _flat(text)
    assert "Gériatrie en attente" not in text  # pending: not validated
    assert "Cabinet du Dr Roux Médecin généraliste Médecine générale" in _flat(text)
    assert (
        "Seuil atteint : 4 semestres validés dont 1 chez un médecin généraliste "
        "(requis : 3 semestres validés dont 1 chez un médecin généraliste)."
    ) in _flat(text)
    document = IssuedDocument.objects.get()
    assert document.kind == "replacement" and document.code in text
    assert document.issued_by == ines.person.user


def test_without_a_stage_with_a_gp_the_record_says_what_is_missing(client, ines):
    add_placement(
        ines,
        "winter",
        2023,
        site=_site("Urgences Témoin Lyon-Sud", TrainingSiteKind.HOSPITAL),
        specialty_code="DES-MGE",
    )
    add_placement(
        ines,
        "summer",
        2024,
        site=_site(
            "Cabinet de pédiatrie Vidal",
            TrainingSiteKind.AMBULATORY,
            AccreditationType.COMPLEMENTARY,
        ),
        specialty_code="DES-MGE",
    )
    client.force_login(ines.person.user)
    text = _flat(_pdf_text(client.get(URL.format(pk=ines.pk))))
    assert (
        "Seuil non atteint : il manque 1 semestre validé chez un médecin "
        "généraliste (2 semestres validés dont 0 chez un médecin généraliste ; "
        "requis : 3 semestres validés dont 1 chez un médecin généraliste)."
    ) in text


def test_the_registry_downloads_it_and_the_verification_page_confirms_it(
    client, ines, faculty_registry
):
    _full_path(ines)
    login_verified(client, faculty_registry)
    page = page_text(client.get(f"/cockpit/internes/{ines.pk}/"))
    assert URL.format(pk=ines.pk) in page
    assert "Relevé de stages pour la licence de remplacement" in page
    _pdf_text(client.get(URL.format(pk=ines.pk)))
    document = IssuedDocument.objects.get()
    assert document.issued_by == faculty_registry
    client.logout()
    verified = page_text(client.get(f"/verifier/{document.code}/"))
    assert "Document authentique" in verified
    assert (
        "Relevé de 4 stages validés pour la licence de remplacement "
        "(Médecine générale, seuils atteints)"
    ) in verified
    assert "Cabinet du Dr Roux" not in verified  # no more than the summary


def test_mon_parcours_offers_the_record(client, ines):
    client.force_login(ines.person.user)
    page = page_text(client.get("/cockpit/mon-parcours/"))
    assert URL.format(pk=ines.pk) in page


@pytest.mark.parametrize("who", ["another_resident", "registry_elsewhere"])
def test_another_resident_or_a_registry_elsewhere_cannot_download_it(
    client, ines, faculty_registry_elsewhere, who
):
    _full_path(ines)
    user = (
        make_resident(first_name="Hugo", last_name="Petit").person.user
        if who == "another_resident"
        else faculty_registry_elsewhere
    )
    login_verified(client, user)
    response = client.get(URL.format(pk=ines.pk))
    assert response.status_code in (403, 404)
    assert response["Content-Type"] != "application/pdf"
    assert not IssuedDocument.objects.exists()


def test_a_des_without_a_threshold_says_so(client):
    hugo = make_resident(first_name="Hugo", last_name="Petit", specialty_code="DES-PSY")
    add_placement(hugo, "winter", 2023, specialty_code="DES-PSY")
    client.force_login(hugo.person.user)
    text = _flat(_pdf_text(client.get(URL.format(pk=hugo.pk))))
    assert "Aucun seuil n'est enregistré pour le DES Psychiatrie" in text


def test_demo_thresholds_are_flagged_in_the_record(client):
    lea = make_resident(first_name="Léa", last_name="Morel", specialty_code="DES-PED")
    add_placement(lea, "winter", 2023, specialty_code="DES-PED")
    client.force_login(lea.person.user)
    text = _flat(_pdf_text(client.get(URL.format(pk=lea.pk))))
    assert "Seuil non atteint : il manque 3 semestres validés, dont 1 dans la" in text
    assert "valeurs de démonstration" in text


def test_general_practice_is_seeded_as_the_ordre_states_it():
    threshold = ReplacementThreshold.objects.get(specialty__code="DES-MGE")
    assert (threshold.semesters_required, threshold.of_which_count) == (3, 1)
    assert threshold.of_which_kind == "general_practitioner"
    assert not threshold.is_demo
    assert ReplacementThreshold.objects.filter(is_demo=True).count() >= 2


def test_only_a_uness_admin_edits_a_threshold(faculty_registry, uness_admin):
    threshold = ReplacementThreshold.objects.get(specialty__code="DES-MGE")
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        replacement_threshold_save(
            record=threshold, semesters_required=2, by=faculty_registry
        )
    with pytest.raises(ValidationError, match="dépasse les semestres requis"):
        replacement_threshold_save(
            record=threshold, semesters_required=0, by=uness_admin
        )
    replacement_threshold_save(record=threshold, semesters_required=4, by=uness_admin)
    threshold.refresh_from_db()
    assert threshold.semesters_required == 4
    assert threshold.history.first().history_user == uness_admin


@pytest.mark.parametrize(
    ("stages", "sentence"),
    [
        (
            ["hospital", "hospital", "hospital", "hospital"],
            "Seuil non atteint : il manque 1 semestre validé chez un médecin "
            "généraliste",
        ),
        (
            ["general_practitioner"],
            "Seuil non atteint : il manque 2 semestres validés (1 semestre validé "
            "dont 1 chez un médecin généraliste",
        ),
        ([], "Seuil non atteint : il manque 3 semestres validés, dont 1 chez"),
        (
            ["hospital", "ambulatory", "general_practitioner"],
            "Seuil atteint : 3 semestres validés dont 1 chez un médecin généraliste",
        ),
    ],
)
def test_the_verdict_in_plain_french(stages, sentence):
    verdict = threshold_verdict(
        ThresholdFact(
            label="Médecine générale",
            semesters_required=3,
            of_which_count=1,
            of_which_kind="general_practitioner",
            of_which_label="chez un médecin généraliste",
        ),
        [StageFact(stage_type=s, in_specialty=True) for s in stages],
    )
    assert verdict.sentence.startswith(sentence)
    assert verdict.met == sentence.startswith("Seuil atteint")
