"""The technical admin goes through the services' rules and keeps the history."""

import pytest

from domains.referential.models import Establishment, Post
from tests.conftest import login_verified
from tests.factories.referential import (
    AccreditationFactory,
    SemesterFactory,
    TrainingSiteFactory,
    phase,
    region,
    specialty,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    login_verified(client, superuser)
    return client


def test_admin_refuses_an_establishment_with_a_wrong_finess_key(admin_client):
    response = admin_client.post(
        "/django-admin/referential/establishment/add/",
        {
            "name": "Clinique du Parc",
            "kind": "site",
            "finess": "690781811",
            "region": region("84").pk,
            "siret": "",
        },
    )
    assert response.status_code == 200
    assert "la clé de contrôle de « 690781811 » est fausse" in response.content.decode()
    assert not Establishment.objects.filter(name="Clinique du Parc").exists()


def test_admin_derives_data_quality_and_records_who_created(admin_client):
    response = admin_client.post(
        "/django-admin/referential/establishment/add/",
        {
            "name": "Clinique du Parc",
            "kind": "site",
            "finess": "",
            "region": region("84").pk,
            "siret": "73282932000074",
        },
    )
    assert response.status_code == 302
    establishment = Establishment.objects.get(name="Clinique du Parc")
    assert establishment.data_quality == "clean"
    history = admin_client.get(
        f"/django-admin/referential/establishment/{establishment.pk}/history/"
    )
    assert "Clinique du Parc" in history.content.decode()
    assert establishment.history.get().history_user.is_superuser


def test_admin_refuses_a_post_on_a_site_without_accreditation(admin_client):
    site = TrainingSiteFactory(name="Pneumologie — CH de Roanne")
    response = admin_client.post(
        "/django-admin/referential/post/add/",
        {
            "semester": SemesterFactory().pk,
            "training_site": site.pk,
            "specialty": specialty().pk,
            "phase": phase().pk,
            "seats": 1,
        },
    )
    assert response.status_code == 200
    assert "n&#x27;a pas d&#x27;agrément en cours" in response.content.decode()
    assert not Post.objects.exists()


def test_admin_opens_a_post_on_an_accredited_site(admin_client):
    accreditation = AccreditationFactory()
    response = admin_client.post(
        "/django-admin/referential/post/add/",
        {
            "semester": SemesterFactory().pk,
            "training_site": accreditation.training_site.pk,
            "specialty": accreditation.specialty.pk,
            "phase": phase().pk,
            "seats": 2,
        },
    )
    assert response.status_code == 302
    assert Post.objects.get().seats == 2
