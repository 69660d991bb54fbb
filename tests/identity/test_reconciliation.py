"""Connexions à rapprocher: UNESS admins merge the persons an SSO sign-in matched."""

import pytest
from django.utils import timezone

from domains.identity.models import (
    FederatedIdentity,
    IdentityProvider,
    ReconciliationCase,
    SignInEvent,
)
from domains.identity.saml import ExternalIdentity
from domains.identity.services import federated_sign_in
from domains.people.models import Person, PersonMerge
from domains.people.roles import Role
from tests.conftest import login_verified, page_text
from tests.factories.people import make_person

pytestmark = pytest.mark.django_db
LIST = "/cockpit/rapprochements/"


PROVIDER = IdentityProvider(
    entity_id="https://idp.univ-lyon1.fr/idp/shibboleth",
    email_domains="univ-lyon1.fr",
    legacy_id_system="imotep",
)


def identity(**overrides) -> ExternalIdentity:
    values = {
        "issuer": "https://idp.univ-lyon1.fr/idp/shibboleth",
        "subject": "hgarnier@univ-lyon1.fr",
        "label": "hgarnier@univ-lyon1.fr",
        "emails": ("helene.garnier@univ-lyon1.fr",),
        "first_name": "Hélène",
        "last_name": "Garnier",
        "legacy_id": "IMO-77",
        "assertion_id": f"a-{timezone.now().timestamp()}",
        "expires_at": timezone.now(),
        "came_from": "",
        "in_response_to": "",
    }
    return ExternalIdentity(**values | overrides)


@pytest.fixture
def case():
    first = make_person(
        email="helene.garnier@univ-lyon1.fr", first_name="Hélène", last_name="Garnier"
    )
    second = make_person(
        email="h.garnier@chu-lyon.fr",
        first_name="Hélène",
        last_name="Garnier",
        imotep_id="IMO-77",
    )
    outcome, user = federated_sign_in(identity=identity(), provider=PROVIDER)
    assert (outcome, user) == ("to_reconcile", None)
    found = ReconciliationCase.objects.get()
    return found, first, second


@pytest.fixture
def uness(client, uness_admin):
    login_verified(client, uness_admin)
    return uness_admin


def test_a_second_attempt_counts_on_the_same_case(case):
    federated_sign_in(identity=identity(assertion_id="other"), provider=PROVIDER)
    found, *_ = case
    found.refresh_from_db()
    assert ReconciliationCase.objects.count() == 1 and found.attempts == 2


def test_uness_admins_see_the_case_and_merge(client, uness, case):
    found, first, second = case
    assert "hgarnier@univ-lyon1.fr" in page_text(client.get(LIST))
    page = page_text(client.get(f"{LIST}{found.pk}/"))
    assert "h.garnier@chu-lyon.fr" in page and "IMOTEP IMO-77" in page

    response = client.post(
        f"{LIST}{found.pk}/decision/fusionner/",
        {"person": first.pk, "reason": "doublon IMOTEP"},
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.status, found.person, found.resolved_by) == ("merged", first, uness)
    assert not Person.objects.filter(pk=second.pk).exists()
    assert sorted(first.emails.values_list("email", flat=True)) == [
        "h.garnier@chu-lyon.fr",
        "helene.garnier@univ-lyon1.fr",
    ]
    assert FederatedIdentity.objects.get().person == first
    assert PersonMerge.objects.get().reason.endswith("doublon IMOTEP")
    assert SignInEvent.objects.filter(kind="merged", user=first.user).exists()
    # Her next university sign-in goes straight in.
    outcome, user = federated_sign_in(
        identity=identity(assertion_id="next"), provider=PROVIDER
    )
    assert (outcome, user) == ("signed_in", first.user)


def test_link_to_one_person_without_merging(client, uness, case):
    found, first, second = case
    client.post(f"{LIST}{found.pk}/decision/rattacher/", {"person": second.pk})
    found.refresh_from_db()
    assert found.status == "linked"
    assert Person.objects.filter(pk=first.pk).exists()
    assert FederatedIdentity.objects.get().person == second


def test_the_kept_person_must_be_a_candidate_and_a_closed_case_stays_closed(
    client, uness, case
):
    found, first, _second = case
    stranger = make_person()
    response = client.post(
        f"{LIST}{found.pk}/decision/fusionner/", {"person": stranger.pk}
    )
    assert "Choisissez la personne à conserver" in page_text(client.get(response.url))
    assert Person.objects.count() >= 3
    client.post(f"{LIST}{found.pk}/decision/classer/", {})
    found.refresh_from_db()
    assert found.status == "dismissed"
    response = client.post(
        f"{LIST}{found.pk}/decision/fusionner/", {"person": first.pk}
    )
    assert "déjà été traité" in page_text(client.get(response.url))
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("role", [Role.DGOS, Role.SUPPORT_L2, Role.ARS])
def test_other_roles_do_not_see_nor_decide(client, case, role, people):
    found, first, _second = case
    login_verified(client, people.get(role))
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{found.pk}/").status_code in (403, 404)
    assert client.get(f"{LIST}export/csv/").status_code in (403, 404)
    response = client.post(
        f"{LIST}{found.pk}/decision/fusionner/", {"person": first.pk}
    )
    assert response.status_code in (403, 404)
    assert not PersonMerge.objects.exists()


def test_an_open_case_offers_its_three_decisions_a_closed_one_none(client, uness, case):
    found, _first, _second = case
    url = f"{LIST}{found.pk}/"
    page = client.get(url).content.decode()
    for name in ("fusionner", "rattacher", "classer"):
        assert f"{url}decision/{name}/" in page
    response = client.post(f"{url}decision/classer/", follow=True)
    assert "classé sans suite" in page_text(response)
    assert f"{url}decision/" not in response.content.decode()
