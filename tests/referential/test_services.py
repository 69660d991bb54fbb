from datetime import date

import pytest
from django.core.exceptions import ValidationError

from domains.people.permissions import SYSTEM
from domains.referential import services
from domains.referential.models import (
    Accreditation,
    AccreditationState,
    DataQuality,
    Establishment,
    EstablishmentKind,
    Post,
)
from tests.factories.people import make_person
from tests.factories.referential import (
    AccreditationFactory,
    EstablishmentFactory,
    PostFactory,
    SemesterFactory,
    TrainingSiteFactory,
    phase,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db


def test_establishment_with_a_valid_finess_is_clean_and_its_history_names_the_author(
    people,
):
    author = people.ars
    establishment = services.establishment_create(
        name="Hospices Civils de Lyon",
        kind=EstablishmentKind.LEGAL_ENTITY,
        region=region("84"),
        finess="69 078 181 0",
        by=author,
    )
    assert establishment.finess == "690781810"
    assert establishment.data_quality == DataQuality.CLEAN
    record = establishment.history.get()
    assert record.history_type == "+"
    assert record.history_user == author


def test_establishment_without_identifiers_is_to_fix():
    establishment = services.establishment_create(
        name="Clinique sans identifiant", region=region("84"), by=SYSTEM
    )
    assert establishment.data_quality == DataQuality.TO_FIX


def test_fixing_the_siret_makes_the_establishment_clean_and_is_recorded():
    establishment = services.establishment_create(
        name="Clinique", region=region("84"), by=SYSTEM
    )
    services.establishment_update(
        establishment=establishment, siret="73282932000074", by=SYSTEM
    )
    establishment.refresh_from_db()
    assert establishment.data_quality == DataQuality.CLEAN
    changes = establishment.history.first().diff_against(establishment.history.last())
    assert [c.field for c in changes.changes if c.field == "siret"] == ["siret"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("finess", "690781811", "FINESS invalide : la clé de contrôle"),
        ("siret", "73282932000075", "SIRET invalide : la clé de contrôle"),
    ],
)
def test_identifier_with_a_wrong_key_is_refused_and_nothing_is_written(
    field, value, message
):
    with pytest.raises(ValidationError) as error:
        services.establishment_create(
            name="Clinique", region=region("84"), by=SYSTEM, **{field: value}
        )
    assert message in error.value.message_dict[field][0]
    assert not Establishment.objects.filter(name="Clinique").exists()


def test_duplicate_finess_is_refused():
    EstablishmentFactory(finess="750712184")
    with pytest.raises(ValidationError) as error:
        services.establishment_create(
            name="Doublon", region=region("11"), finess="750712184", by=SYSTEM
        )
    assert "FINESS" in str(error.value)


def test_a_geographic_site_can_only_hang_under_a_legal_entity():
    site = EstablishmentFactory(kind=EstablishmentKind.SITE)
    with pytest.raises(ValidationError) as error:
        services.establishment_create(
            name="Annexe",
            region=region("84"),
            parent=site,
            finess="750712184",
            by=SYSTEM,
        )
    assert "entité juridique" in error.value.message_dict["parent"][0]


def test_accreditation_ending_before_it_starts_is_refused_and_nothing_is_written():
    site = TrainingSiteFactory()
    with pytest.raises(ValidationError) as error:
        services.accreditation_create(
            training_site=site,
            specialty=specialty(),
            phases=[phase("socle")],
            start_date=date(2026, 11, 1),
            end_date=date(2026, 5, 1),
            state=AccreditationState.GRANTED,
            by=SYSTEM,
        )
    assert error.value.message_dict["end_date"] == [
        "La fin de l'agrément (01/05/2026) précède son début (01/11/2026)."
    ]
    assert not Accreditation.objects.exists()


def test_accreditation_needs_a_phase_and_a_des_not_an_option():
    site = TrainingSiteFactory()
    with pytest.raises(ValidationError) as error:
        services.accreditation_create(
            training_site=site,
            specialty=specialty("OPT-ARE-REAPED"),
            phases=[],
            start_date=date(2026, 11, 1),
            end_date=date(2031, 10, 31),
            state=AccreditationState.GRANTED,
            by=SYSTEM,
        )
    assert set(error.value.message_dict) == {"phases", "specialty"}


def test_accreditation_is_created_with_its_phases_and_supervisor():
    supervisor = make_person()
    accreditation = services.accreditation_create(
        training_site=TrainingSiteFactory(),
        specialty=specialty(),
        phases=[phase("socle"), phase("approfondissement")],
        start_date=date(2026, 11, 1),
        end_date=date(2031, 10, 31),
        state=AccreditationState.GRANTED,
        supervisor=supervisor,
        decision_reference="ARS-ARA-2026-0042",
        by=SYSTEM,
    )
    assert {p.code for p in accreditation.phases.all()} == {
        "socle",
        "approfondissement",
    }
    assert accreditation.supervisor == supervisor


class TestPostOpening:
    def test_post_opens_on_a_site_accredited_for_the_specialty_and_phase(self):
        accreditation = AccreditationFactory()
        post = services.post_open(
            semester=SemesterFactory(),
            training_site=accreditation.training_site,
            specialty=accreditation.specialty,
            phase=phase("socle"),
            seats=2,
            by=SYSTEM,
        )
        assert post.seats == 2
        assert post.history.count() == 1

    def test_post_on_a_non_accredited_site_is_refused_with_the_reason(self):
        site = TrainingSiteFactory(name="Cardiologie — CH de Vienne")
        with pytest.raises(ValidationError) as error:
            services.post_open(
                semester=SemesterFactory(),
                training_site=site,
                specialty=specialty(),
                phase=phase("socle"),
                by=SYSTEM,
            )
        message = error.value.message_dict["specialty"][0]
        assert "Cardiologie — CH de Vienne" in message
        assert "Médecine cardiovasculaire" in message
        assert "Hiver 2026-2027" in message
        assert "01/11/2026" in message
        assert not Post.objects.exists()

    def test_post_for_a_phase_the_site_is_not_accredited_for_is_refused(self):
        accreditation = AccreditationFactory(phases=[phase("socle")])
        with pytest.raises(ValidationError):
            services.post_open(
                semester=SemesterFactory(),
                training_site=accreditation.training_site,
                specialty=accreditation.specialty,
                phase=phase("consolidation"),
                by=SYSTEM,
            )

    @pytest.mark.parametrize(
        ("state", "start", "end"),
        [
            (AccreditationState.REFUSED, date(2024, 11, 1), date(2029, 10, 31)),
            (AccreditationState.EXPIRED, date(2020, 11, 1), date(2025, 10, 31)),
            (AccreditationState.GRANTED, date(2020, 11, 1), date(2025, 10, 31)),
            (AccreditationState.GRANTED, date(2027, 5, 1), date(2032, 4, 30)),
        ],
        ids=["refused", "expired", "ended before", "starts after"],
    )
    def test_post_needs_an_accreditation_in_force_at_the_semester(
        self, state, start, end
    ):
        accreditation = AccreditationFactory(
            state=state, start_date=start, end_date=end
        )
        with pytest.raises(ValidationError):
            services.post_open(
                semester=SemesterFactory(),
                training_site=accreditation.training_site,
                specialty=accreditation.specialty,
                phase=phase("socle"),
                by=SYSTEM,
            )

    def test_mixed_post_needs_every_shared_specialty_accredited(self):
        accreditation = AccreditationFactory()
        with pytest.raises(ValidationError) as error:
            services.post_open(
                semester=SemesterFactory(),
                training_site=accreditation.training_site,
                specialty=accreditation.specialty,
                phase=phase("socle"),
                shared_specialties=[specialty("DES-MII")],
                by=SYSTEM,
            )
        assert "shared_specialties" in error.value.message_dict
        AccreditationFactory(
            training_site=accreditation.training_site, specialty=specialty("DES-MII")
        )
        post = services.post_open(
            semester=SemesterFactory(),
            training_site=accreditation.training_site,
            specialty=accreditation.specialty,
            phase=phase("socle"),
            shared_specialties=[specialty("DES-MII")],
            by=SYSTEM,
        )
        assert post.is_mixed

    def test_coupled_post_must_belong_to_the_same_semester(self):
        accreditation = AccreditationFactory()
        other = PostFactory(
            semester=SemesterFactory(
                season="summer",
                year=2026,
                start_date=date(2026, 5, 1),
                end_date=date(2026, 10, 31),
            ),
            training_site=accreditation.training_site,
        )
        with pytest.raises(ValidationError) as error:
            services.post_open(
                semester=SemesterFactory(),
                training_site=accreditation.training_site,
                specialty=accreditation.specialty,
                phase=phase("socle"),
                coupled_with=other,
                by=SYSTEM,
            )
        assert "même semestre" in error.value.message_dict["coupled_with"][0]

    def test_second_post_for_the_same_slot_is_refused(self):
        accreditation = AccreditationFactory()
        kwargs = dict(
            semester=SemesterFactory(),
            training_site=accreditation.training_site,
            specialty=accreditation.specialty,
            phase=phase("socle"),
            by=SYSTEM,
        )
        services.post_open(**kwargs)
        with pytest.raises(ValidationError) as error:
            services.post_open(**kwargs)
        assert "modifiez son nombre de places" in str(error.value)
        assert Post.objects.count() == 1


def test_expiring_past_accreditations_only_touches_those_in_force_and_ended():
    ended = AccreditationFactory(end_date=date(2026, 10, 31))
    current = AccreditationFactory()
    refused = AccreditationFactory(
        state=AccreditationState.REFUSED, end_date=date(2025, 1, 1)
    )
    assert services.accreditation_expire_past(today=date(2026, 11, 26), by=SYSTEM) == 1
    ended.refresh_from_db()
    current.refresh_from_db()
    refused.refresh_from_db()
    assert ended.state == AccreditationState.EXPIRED
    assert current.state == AccreditationState.GRANTED
    assert refused.state == AccreditationState.REFUSED


def test_training_site_in_a_subdivision_records_its_changes():
    site = services.training_site_create(
        establishment=EstablishmentFactory(),
        subdivision=subdivision("LYON"),
        name="Urgences — CH de Villefranche",
        kind="hospital",
        by=SYSTEM,
    )
    services.training_site_update(training_site=site, is_active=False, by=SYSTEM)
    assert [h.is_active for h in site.history.order_by("history_date")] == [
        True,
        False,
    ]
