"""The STAGES 3e CYCLE screens, used as an ARS agent or a site supervisor would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from domains.referential.models import (
    Accreditation,
    Establishment,
    EstablishmentKind,
    Post,
    TrainingSite,
)
from tests.conftest import page_text
from tests.factories.people import make_person, make_user_with_role
from tests.factories.referential import (
    AccreditationFactory,
    EstablishmentFactory,
    PostFactory,
    SemesterFactory,
    TrainingSiteFactory,
    current_semester,
    phase,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db


class TestEstablishments:
    def test_to_fix_filter_lists_only_establishments_without_valid_identifier(
        self, client, ars
    ):
        EstablishmentFactory(name="Clinique propre")
        EstablishmentFactory(name="Clinique à corriger", finess="")
        page = page_text(
            client.get("/cockpit/etablissements/", {"data_quality": "to_fix"})
        )
        assert "Clinique à corriger" in page and "Clinique propre" not in page

    def test_edit_with_a_wrong_finess_key_shows_the_error_and_changes_nothing(
        self, client, ars
    ):
        establishment = EstablishmentFactory(name="CH de Vienne", finess="")
        response = client.post(
            f"/cockpit/etablissements/{establishment.pk}/modifier/",
            {
                "name": "CH de Vienne",
                "kind": "site",
                "finess": "380780081",
                "siret": "",
                "address": "",
                "postal_code": "",
                "city": "",
            },
        )
        assert response.status_code == 200
        assert "la clé de contrôle de « 380780081 » est fausse" in page_text(response)
        establishment.refresh_from_db()
        assert establishment.finess == ""

    def test_edit_with_a_valid_siret_makes_it_clean(self, client, ars):
        establishment = EstablishmentFactory(name="CH de Vienne", finess="")
        response = client.post(
            f"/cockpit/etablissements/{establishment.pk}/modifier/",
            {
                "name": "CH de Vienne",
                "kind": "site",
                "finess": "",
                "siret": "732 829 320 00074",
                "address": "",
                "postal_code": "",
                "city": "",
            },
        )
        assert response.status_code == 302
        establishment.refresh_from_db()
        assert establishment.data_quality == "clean"
        page = page_text(client.get(f"/cockpit/etablissements/{establishment.pk}/"))
        assert "73282932000074" in page
        assert "À corriger → Propre" in page  # the history shows the derived change

    def test_merging_a_duplicate_moves_its_sites_and_history(self, client, ars):
        kept = EstablishmentFactory(name="CH de Vienne", finess="")
        duplicate = EstablishmentFactory(name="Centre Hospitalier Vienne")
        site = TrainingSiteFactory(establishment=duplicate, name="Urgences Vienne")
        dam = make_user_with_role(Role.MEDICAL_AFFAIRS, establishment=duplicate)
        response = client.post(
            f"/cockpit/etablissements/{kept.pk}/fusionner/", {"duplicate": duplicate.pk}
        )
        assert response.status_code == 302
        assert not Establishment.objects.filter(pk=duplicate.pk).exists()
        site.refresh_from_db()
        kept.refresh_from_db()
        assert site.establishment == kept
        assert kept.finess == duplicate.finess  # taken from the duplicate
        assert kept.data_quality == "clean"
        # The duplicate's medical-affairs director now works on the kept establishment.
        assert dam.person.functions.get().establishment == kept
        dam = type(dam).objects.get(pk=dam.pk)
        assert dam.has_perm("referential.change_establishment", kept)
        reasons = list(kept.history.values_list("history_change_reason", flat=True))
        assert any(r and "Fusion avec Centre Hospitalier Vienne" in r for r in reasons)
        assert kept.history.count() >= 3  # its own, the duplicate's, the merge

    def test_merge_across_regions_is_impossible_from_the_form(self, client, ars):
        kept = EstablishmentFactory()
        elsewhere = EstablishmentFactory(region=region("53"))
        response = client.post(
            f"/cockpit/etablissements/{kept.pk}/fusionner/", {"duplicate": elsewhere.pk}
        )
        assert response.status_code == 200
        assert Establishment.objects.filter(pk=elsewhere.pk).exists()

    def test_create_in_her_region_only(self, client, ars):
        page = page_text(client.get("/cockpit/etablissements/nouveau/"))
        assert "Auvergne-Rhône-Alpes" in page and "Bretagne" not in page
        response = client.post(
            "/cockpit/etablissements/nouveau/",
            {
                "name": "Clinique du Parc",
                "kind": EstablishmentKind.SITE,
                "finess": "",
                "siret": "73282932000074",
                "region": region("84").pk,
                "address": "",
                "postal_code": "",
                "city": "Lyon",
            },
        )
        assert response.status_code == 302
        assert Establishment.objects.get(name="Clinique du Parc").region == region("84")


class TestTrainingSites:
    def test_filter_by_specialty_keeps_sites_accredited_for_it(self, client, ars):
        AccreditationFactory(
            training_site__name="Cardio A", specialty=specialty("DES-MCA")
        )
        AccreditationFactory(
            training_site__name="Néphro B", specialty=specialty("DES-NEP")
        )
        page = page_text(
            client.get(
                "/cockpit/terrains-de-stage/", {"specialty": specialty("DES-NEP").pk}
            )
        )
        assert "Néphro B" in page and "Cardio A" not in page

    def test_detail_shows_accreditations_posts_and_people(self, client, ars):
        accreditation = AccreditationFactory(training_site__name="Cardio Lyon")
        site = accreditation.training_site
        PostFactory(training_site=site, semester=current_semester(), seats=3)
        rts = make_person(
            first_name="Sophie", last_name="Moreau", email="sophie.moreau@chu-lyon.fr"
        )
        function_grant(
            person=rts,
            role=Role.SITE_SUPERVISOR,
            start_date=timezone.localdate(),
            training_site=site,
            by=SYSTEM,
        )
        page = page_text(client.get(f"/cockpit/terrains-de-stage/{site.pk}/"))
        assert "Sophie MOREAU" in page and "sophie.moreau@chu-lyon.fr" in page
        assert "Médecine cardiovasculaire" in page
        assert "3 places" in page
        assert "Responsable de terrain de stage (RTS)" in page

    def test_changing_the_supervisor_email_shows_in_the_site_history(self, client, ars):
        site = TrainingSiteFactory()
        rts = make_person(
            first_name="Sophie", last_name="Moreau", email="s.moreau@chu-lyon.fr"
        )
        function = function_grant(
            person=rts,
            role=Role.SITE_SUPERVISOR,
            start_date=timezone.localdate(),
            training_site=site,
            by=SYSTEM,
        )
        response = client.post(
            f"/cockpit/terrains-de-stage/{site.pk}/personnes/{function.pk}/coordonnees/",
            {"email": "sophie.moreau@chu-lyon.fr", "phone": "04 72 11 22 33"},
        )
        assert response.status_code == 302
        rts.refresh_from_db()
        assert rts.primary_email == "sophie.moreau@chu-lyon.fr"
        page = page_text(client.get(f"/cockpit/terrains-de-stage/{site.pk}/"))
        assert "Adresse e-mail" in page and "sophie.moreau@chu-lyon.fr" in page
        assert "Principale" in page or "principale" in page

    def test_the_site_supervisor_adds_an_assistant_and_ends_her_function(
        self, client, people
    ):
        site, rts = people.site, people.site_supervisor
        assistant = make_person(email="assistante@chu-lyon.fr")
        client.force_login(rts)
        response = client.post(
            f"/cockpit/terrains-de-stage/{site.pk}/personnes/ajouter/",
            {
                "email": "assistante@chu-lyon.fr",
                "role": Role.SITE_ASSISTANT,
                "start_date": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 302
        function = assistant.functions.get()
        assert function.training_site == site
        client.post(
            f"/cockpit/terrains-de-stage/{site.pk}/personnes/{function.pk}/terminer/"
        )
        function.refresh_from_db()
        assert function.end_date == timezone.localdate()

    def test_adding_someone_unknown_says_so(self, client, ars):
        site = TrainingSiteFactory()
        response = client.post(
            f"/cockpit/terrains-de-stage/{site.pk}/personnes/ajouter/",
            {
                "email": "inconnu@exemple.fr",
                "role": Role.SITE_ASSISTANT,
                "start_date": timezone.localdate().isoformat(),
            },
        )
        assert "Aucune personne n'a l'adresse inconnu@exemple.fr" in page_text(response)

    def test_the_supervisor_edits_his_site_description_but_not_another_site(
        self, client, people
    ):
        site, other = people.site, TrainingSiteFactory()
        client.force_login(people.site_supervisor)
        data = {
            "name": site.name,
            "department": "Cardiologie",
            "kind": "hospital",
            "address": "",
            "description": "Staff le jeudi.",
            "is_active": "on",
        }
        assert (
            client.post(
                f"/cockpit/terrains-de-stage/{site.pk}/modifier/", data
            ).status_code
            == 302
        )
        assert TrainingSite.objects.get(pk=site.pk).description == "Staff le jeudi."
        assert (
            client.get(f"/cockpit/terrains-de-stage/{other.pk}/modifier/").status_code
            == 404
        )


class TestAccreditations:
    def test_accreditations_ending_within_a_year_are_highlighted_and_filterable(
        self, client, ars
    ):
        soon = timezone.localdate() + timedelta(days=100)
        AccreditationFactory(training_site__name="Bientôt", end_date=soon)
        AccreditationFactory(
            training_site__name="Tranquille",
            end_date=timezone.localdate() + timedelta(days=900),
        )
        page = page_text(client.get("/cockpit/agrements/"))
        assert page.count('<tr class="siimop-row--warning') == 1
        assert "à renouveler" in page
        page = page_text(client.get("/cockpit/agrements/", {"to_renew": "true"}))
        assert "Bientôt" in page and "Tranquille" not in page

    def test_edit_ending_before_start_is_refused_with_the_dates(self, client, ars):
        accreditation = AccreditationFactory()
        response = client.post(
            f"/cockpit/agrements/{accreditation.pk}/modifier/",
            {
                "specialty": accreditation.specialty.pk,
                "phases": [phase().pk],
                "type": "principal",
                "state": "granted",
                "start_date": "2026-11-01",
                "end_date": "2026-01-01",
                "decision_reference": "",
            },
        )
        assert response.status_code == 200
        assert "précède son début" in page_text(response)
        accreditation.refresh_from_db()
        assert accreditation.end_date.year == 2029


class TestPosts:
    def test_opening_a_post_on_a_site_without_accreditation_is_refused(
        self, client, ars
    ):
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
        assert response.status_code == 200
        assert "n'a pas d'agrément en cours" in page_text(response)
        assert not Post.objects.exists()

    def test_opening_closing_and_adding_seats(self, client, ars):
        semester = current_semester()  # an accreditation covering it, whenever today is
        accreditation = AccreditationFactory(
            start_date=semester.start_date - timedelta(days=10),
            end_date=semester.end_date + timedelta(days=365),
        )
        response = client.post(
            "/cockpit/postes/nouveau/",
            {
                "semester": current_semester().pk,
                "training_site": accreditation.training_site.pk,
                "specialty": accreditation.specialty.pk,
                "phase": phase().pk,
                "seats": 2,
            },
        )
        assert response.status_code == 302
        post = Post.objects.get()
        client.post(
            "/cockpit/postes/actions/", {"action": "add_seat", "selection": [post.pk]}
        )
        post.refresh_from_db()
        assert post.seats == 3
        page = page_text(client.get(f"/cockpit/postes/{post.pk}/supprimer/"))
        assert "Vous allez supprimer" in page
        client.post(f"/cockpit/postes/{post.pk}/supprimer/")
        assert not Post.objects.exists()

    def test_list_shows_the_current_semester_by_default(self, client, ars):
        PostFactory(training_site__name="Maintenant", semester=current_semester())
        PostFactory(
            training_site__name="Autrefois",
            semester=SemesterFactory(season="summer", year=2020),
        )
        page = page_text(client.get("/cockpit/postes/"))
        assert "Maintenant" in page and "Autrefois" not in page

    def test_summary_adds_up_seats_per_specialty_and_phase(self, client, ars):
        semester = current_semester()
        PostFactory(semester=semester, seats=2, phase=phase("socle"))
        PostFactory(semester=semester, seats=3, phase=phase("socle"))
        PostFactory(semester=semester, seats=1, phase=phase("approfondissement"))
        elsewhere = PostFactory(
            semester=semester,
            seats=9,
            training_site=TrainingSiteFactory(
                establishment=EstablishmentFactory(region=region("53")),
                subdivision=subdivision("RENNES"),
            ),
        )
        page = page_text(client.get("/cockpit/postes/synthese/"))
        assert (
            '<th scope="row">Médecine cardiovasculaire</th><td>5</td><td>1</td><td>0</td><td><strong>6</strong>'
            in page
        )
        assert elsewhere.seats == 9 and "<strong>15</strong>" not in page


def test_accreditation_detail_lists_its_phases(client, ars):
    accreditation = AccreditationFactory(
        phases=[phase("socle"), phase("consolidation")]
    )
    page = page_text(client.get(f"/cockpit/agrements/{accreditation.pk}/"))
    assert "Phase socle, Phase de consolidation" in page
    assert Accreditation.objects.count() == 1
