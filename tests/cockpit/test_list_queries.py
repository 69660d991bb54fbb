"""Lists run a bounded number of queries, whatever the page size and the data volume."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance.models import Period
from assistance.services import request_file, teams_setup
from domains.accreditation.models import AccreditationRequest
from domains.cockpit.registry import registry
from domains.identity.models import ReconciliationCase
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.conftest import login_verified
from tests.factories.accreditation import bare_campaign
from tests.factories.people import make_person
from tests.factories.referential import (
    AccreditationFactory,
    EstablishmentFactory,
    PostFactory,
    TrainingSiteFactory,
    current_semester,
    phase,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15
SPECIALTIES = ["DES-MCA", "DES-NEP", "DES-PNE", "DES-GEN", "DES-DVE"]


def add_rows(count: int, semester) -> None:
    establishment = EstablishmentFactory(region=region("84"))
    campaign = bare_campaign()
    for i in range(count):
        site = TrainingSiteFactory(establishment=establishment)
        AccreditationRequest.objects.create(
            campaign=campaign if i % 2 else bare_campaign(),
            training_site=site,
            specialty=specialty(SPECIALTIES[0]),
            status="submitted",
        )
        for code in SPECIALTIES[:1]:
            AccreditationFactory(
                training_site=site,
                specialty=specialty(code),
                phases=[phase("socle"), phase("approfondissement")],
            )
            PostFactory(
                training_site=site, specialty=specialty(code), semester=semester
            )
        person = make_person(password=None)
        function_grant(
            person=person,
            role=Role.SITE_SUPERVISOR,
            start_date=person.created_at.date(),
            training_site=site,
            by=SYSTEM,
        )
        EstablishmentFactory(region=region("84"), name=f"Clinique {i}")
        case = ReconciliationCase.objects.create(
            issuer="https://idp.univ-lyon1.fr/idp/shibboleth",
            subject=f"{person.pk}@univ-lyon1.fr",
        )
        case.candidates.add(person)
        request_file(
            title=f"Demande {i}",
            description="Texte.",
            category="compte",
            email=f"demande{i}@exemple.fr",
            subdivision=subdivision("LYON"),
            person=person,
        )
        Period.objects.create(
            name=f"Période {i} {Period.objects.count()}",
            start=date(2026, 1, 1),
            end=date(2026, 2, 1),
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("slug", sorted(registry.screens))
def test_list_queries_do_not_grow_with_rows(client, slug, people):
    semester = current_semester()
    # National, UNESS admins.
    if slug in ("rapprochements", "periodes-assistance", "seuils-remplacement"):
        login_verified(client, people.uness_admin)
    elif slug == "demandes-assistance":  # the support agents' screen
        teams_setup()
        client.force_login(people.support_l2)
    else:
        client.force_login(people.ars)
    url = reverse(f"cockpit:{registry.screens[slug].url_name}_list")
    add_rows(10, semester)
    client.get(url)  # what is cached for every page (the footer's links) is cached
    with_10 = count_queries(client, url)
    add_rows(90, semester)
    with_100 = count_queries(client, url)
    assert with_100 == with_10, (
        f"{slug}: {with_10} queries for 10 rows, {with_100} for 100"
    )
    assert with_100 <= MAX_QUERIES, f"{slug}: {with_100} queries"
