"""Every write of the referential asks who acts: the ARS of the record's region may,
the ARS of another region is refused by the service itself (whatever view, task or
import calls it), and nothing is written."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.referential import services
from domains.referential.models import (
    Accreditation,
    AccreditationState,
    Establishment,
    Post,
    TrainingSite,
)
from tests.factories.people import make_user_with_role
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
REFUSED = "Votre fonction ne vous permet pas"


@pytest.fixture
def lyon():
    """An establishment of Auvergne-Rhône-Alpes, its site in Lyon, an accreditation
    and a post there; a duplicate establishment to merge."""
    establishment = EstablishmentFactory(region=region("84"))
    site = TrainingSiteFactory(establishment=establishment, subdivision=subdivision())
    accreditation = AccreditationFactory(
        training_site=site, start_date=date(2020, 11, 1), end_date=date(2035, 10, 31)
    )
    semester = SemesterFactory(season="winter", year=2025)
    return {
        "establishment": establishment,
        "duplicate": EstablishmentFactory(region=region("84"), finess=""),
        "site": site,
        "accreditation": accreditation,
        "semester": semester,
        "post": PostFactory(
            training_site=site,
            semester=semester,
            specialty=accreditation.specialty,
            phase=phase("socle"),
        ),
    }


def _state(world) -> tuple:
    """What the writes would change, to show a refusal wrote nothing."""
    return (
        Establishment.objects.count(),
        sorted(Establishment.objects.values_list("name", flat=True)),
        sorted(TrainingSite.objects.values_list("name", "is_active")),
        sorted(Accreditation.objects.values_list("pk", "end_date", "state")),
        sorted(Post.objects.values_list("pk", "seats")),
    )


WRITES = {
    "establishment_create": lambda w, by: services.establishment_create(
        name="Clinique du Parc", region=region("84"), by=by
    ),
    "establishment_update": lambda w, by: services.establishment_update(
        establishment=w["establishment"], name="Nouveau nom", by=by
    ),
    "establishment_merge": lambda w, by: services.establishment_merge(
        kept=w["establishment"], duplicate=w["duplicate"], by=by
    ),
    "training_site_create": lambda w, by: services.training_site_create(
        establishment=w["establishment"],
        subdivision=subdivision(),
        name="Service de pédiatrie",
        by=by,
    ),
    "training_site_update": lambda w, by: services.training_site_update(
        training_site=w["site"], is_active=False, by=by
    ),
    "accreditation_create": lambda w, by: services.accreditation_create(
        training_site=w["site"],
        specialty=specialty("DES-PED"),
        phases=[phase("socle")],
        start_date=date(2024, 11, 1),
        end_date=date(2029, 10, 31),
        state=AccreditationState.GRANTED,
        by=by,
    ),
    "accreditation_update": lambda w, by: services.accreditation_update(
        accreditation=w["accreditation"], end_date=date(2034, 10, 31), by=by
    ),
    "accreditations_import": lambda w, by: services.accreditations_import(
        items=[
            (
                Accreditation(
                    training_site=w["site"],
                    specialty=specialty("DES-PED"),
                    start_date=date(2024, 11, 1),
                    end_date=date(2029, 10, 31),
                    state=AccreditationState.GRANTED,
                ),
                [phase("socle")],
            )
        ],
        by=by,
    ),
    "post_open": lambda w, by: services.post_open(
        semester=SemesterFactory(season="summer", year=2026),
        training_site=w["site"],
        specialty=w["accreditation"].specialty,
        phase=phase("socle"),
        by=by,
    ),
    "post_update": lambda w, by: services.post_update(post=w["post"], seats=3, by=by),
    "post_close": lambda w, by: services.post_close(post=w["post"], by=by),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_the_ars_of_another_region_is_refused_and_nothing_is_written(
    lyon, write, people
):
    brittany = people.ars_elsewhere
    before = _state(lyon)
    with pytest.raises(PermissionDenied, match=REFUSED):
        WRITES[write](lyon, brittany)
    assert _state(lyon) == before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_the_ars_of_the_region_writes(lyon, write, people):
    rhone_alpes = people.ars
    before = _state(lyon)
    WRITES[write](lyon, rhone_alpes)
    assert _state(lyon) != before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_nobody_named_is_nobody_allowed(lyon, write):
    """A caller that forgets who acts is refused, never waved through."""
    with pytest.raises(PermissionDenied):
        WRITES[write](lyon, None)


def test_a_role_without_the_permission_is_refused_inside_its_perimeter(lyon):
    """The site's practitioner (MSU) reads the site; he does not change it."""
    practitioner = make_user_with_role(Role.PRACTITIONER, training_site=lyon["site"])
    with pytest.raises(PermissionDenied):
        services.training_site_update(
            training_site=lyon["site"], name="Renommé", by=practitioner
        )
    supervisor = make_user_with_role(Role.SITE_SUPERVISOR, training_site=lyon["site"])
    services.training_site_update(
        training_site=lyon["site"], name="Renommé", by=supervisor
    )
    assert TrainingSite.objects.get(pk=lyon["site"].pk).name == "Renommé"


def test_a_site_moves_only_between_perimeters_of_the_actor(lyon, people):
    """An ARS cannot take a site of another region into hers, nor push hers out."""
    rennes_site = TrainingSiteFactory(
        subdivision=subdivision("RENNES"),
        establishment=EstablishmentFactory(region=region("53")),
    )
    rhone_alpes = people.ars
    with pytest.raises(PermissionDenied):
        services.training_site_update(
            training_site=rennes_site, subdivision=subdivision(), by=rhone_alpes
        )
    with pytest.raises(PermissionDenied):
        services.training_site_update(
            training_site=lyon["site"],
            subdivision=subdivision("RENNES"),
            establishment=rennes_site.establishment,
            by=rhone_alpes,
        )
    assert TrainingSite.objects.get(pk=lyon["site"].pk).subdivision == subdivision()


def test_the_medical_affairs_director_changes_her_establishment_only(lyon):
    dam = make_user_with_role(Role.MEDICAL_AFFAIRS, establishment=lyon["establishment"])
    services.establishment_update(
        establishment=lyon["establishment"], city="Villeurbanne", by=dam
    )
    with pytest.raises(PermissionDenied):
        services.establishment_update(
            establishment=lyon["duplicate"], city="Villeurbanne", by=dam
        )
    assert Establishment.objects.get(pk=lyon["duplicate"].pk).city == "Lyon"


def test_expiring_accreditations_is_the_platforms_job_not_a_regions(lyon, people):
    AccreditationFactory(start_date=date(2015, 11, 1), end_date=date(2020, 10, 31))
    rhone_alpes = people.ars
    with pytest.raises(PermissionDenied):
        services.accreditation_expire_past(today=date(2026, 1, 1), by=rhone_alpes)
    assert services.accreditation_expire_past(today=date(2026, 1, 1), by=SYSTEM) == 1
    expired = Accreditation.objects.get(state=AccreditationState.EXPIRED)
    assert expired.history.first().history_user is None  # the system, no account
