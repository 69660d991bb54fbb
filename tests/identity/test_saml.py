"""The university door, end to end against a real pysaml2 identity provider.

The IdP of domains/identity/dev_idp.py signs with its own key (checked by the `xmlsec1`
program, as in production); nothing of pysaml2 is mocked. Each refusal kind of the
issue has a test that fails if the check goes away.
"""

import base64
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from domains.identity import dev_idp
from domains.identity.models import (
    FederatedIdentity,
    IdentityProvider,
    ReconciliationCase,
    SignInEvent,
)
from domains.people.models import LegacyIdentifier, Person
from domains.people.permissions import SYSTEM
from tests.conftest import page_text
from tests.factories.people import make_person

pytestmark = pytest.mark.django_db
ACS = "/compte/saml/acs/"


@pytest.fixture
def idp():
    return dev_idp.register()


def start(client, idp, next_url="/cockpit/") -> str:
    """Click on the university: the SP redirects to the IdP with an AuthnRequest."""
    response = client.get(f"/compte/universite/{idp.pk}/connexion/", {"next": next_url})
    assert response.status_code == 302
    location = urlparse(response.url)
    assert location.path == "/dev-idp/sso/"
    return parse_qs(location.query)["SAMLRequest"][0]


def request_id(client, idp) -> str:
    """What the IdP reads in the AuthnRequest (its ID), through the IdP itself."""
    saml_request = start(client, idp)
    page = client.get("/dev-idp/sso/", {"SAMLRequest": saml_request})
    assert page.status_code == 200
    server = dev_idp.Server(config=dev_idp.config())
    return server.parse_authn_request(
        saml_request, dev_idp.BINDING_HTTP_REDIRECT
    ).message.id


def post(client, saml_response: str, relay_state: str = "/cockpit/"):
    """The browser posts to the ACS, which bounces the form once from our own site."""
    first = client.post(ACS, {"SAMLResponse": saml_response, "RelayState": relay_state})
    assert first.status_code == 200 and 'name="relayed"' in first.content.decode()
    return client.post(
        ACS, {"SAMLResponse": saml_response, "RelayState": relay_state, "relayed": "1"}
    )


def sign_in_through_idp(client, idp, **identity):
    """The whole round trip through the IdP's own pages, as a browser would."""
    saml_request = start(client, idp)
    page = client.post(
        "/dev-idp/sso/",
        {"SAMLRequest": saml_request, "RelayState": "/cockpit/", **identity},
    )
    assert page.status_code == 200, page.content
    saml_response = re.search(
        r'name="SAMLResponse" value="([^"]+)"', page.content.decode()
    ).group(1)
    return post(client, saml_response)


def refused_with(response, reason_part: str, message_part: str):
    assert response.status_code == 403
    assert message_part in page_text(response)
    assert not response.wsgi_request.user.is_authenticated
    event = SignInEvent.objects.filter(kind="failure", method="saml").latest("at")
    assert reason_part in event.reason
    return event


def test_metadata_is_served_at_a_stable_address():
    response = Client().get("/compte/saml/metadata/")
    xml = response.content.decode()
    assert response["Content-Type"] == "application/samlmetadata+xml"
    assert 'entityID="http://testserver/compte/saml/metadata/"' in xml
    assert 'Location="http://testserver/compte/saml/acs/"' in xml


def test_first_sign_in_links_the_identity_and_later_ones_use_it(client, idp):
    person = make_person(email="claire.durand@univ-lyon1.fr")
    response = sign_in_through_idp(
        client, idp, eppn="cdurand@univ-lyon1.fr", mail="claire.durand@univ-lyon1.fr"
    )
    assert response.status_code == 302 and response.url == "/cockpit/"
    assert client.get("/cockpit/").wsgi_request.user == person.user
    link = FederatedIdentity.objects.get(person=person)
    assert (link.issuer, link.subject) == (idp.entity_id, "cdurand@univ-lyon1.fr")
    assert SignInEvent.objects.filter(kind="linked", user=person.user).exists()
    assert SignInEvent.objects.filter(
        kind="success", method="saml", user=person.user
    ).exists()

    # Her university address changes: the linked identifier still finds her.
    client.logout()
    response = sign_in_through_idp(
        client, idp, eppn="cdurand@univ-lyon1.fr", mail="c.durand@etu.univ-lyon1.fr"
    )
    assert response.status_code == 302
    assert client.get("/cockpit/").wsgi_request.user == person.user


def test_any_verified_address_of_the_person_matches_not_an_unverified_one(client, idp):
    from domains.people.services import email_add

    person = make_person(email="paul.roux@chu-lyon.fr")
    email_add(person=person, email="paul.roux@univ-lyon1.fr", verified=True, by=SYSTEM)
    response = sign_in_through_idp(
        client, idp, eppn="proux@univ-lyon1.fr", mail="paul.roux@univ-lyon1.fr"
    )
    assert response.status_code == 302
    client.logout()

    other = make_person(email="jeanne.petit@chu-lyon.fr")
    email_add(
        person=other, email="jeanne.petit@univ-lyon1.fr", verified=False, by=SYSTEM
    )
    response = sign_in_through_idp(
        client, idp, eppn="jpetit@univ-lyon1.fr", mail="jeanne.petit@univ-lyon1.fr"
    )
    assert response.status_code == 403
    assert not FederatedIdentity.objects.filter(person=other).exists()


def test_nobody_matches_no_person_is_created_and_the_request_is_offered(client, idp):
    before = Person.objects.count()
    response = sign_in_through_idp(
        client,
        idp,
        eppn="inconnu@univ-lyon1.fr",
        mail="nouveau.rts@chu-lyon.fr",
        given_name="Nina",
        surname="Lopez",
    )
    text = page_text(response)
    assert response.status_code == 403
    assert "Aucun compte SIIMOP ne correspond" in text
    assert "Demander un compte" in text
    assert Person.objects.count() == before
    # The account request form is pre-filled with what the university said.
    form = client.get("/compte/demande/").content.decode()
    assert 'value="nouveau.rts@chu-lyon.fr"' in form and 'value="Nina"' in form


def test_two_matching_persons_link_nothing_and_open_a_case(client, idp):
    idp.legacy_id_attribute = "sidesId"
    idp.legacy_id_system = "sides_ng"
    idp.save()
    by_email = make_person(email="marc.blanc@univ-lyon1.fr")
    by_legacy = make_person(email="m.blanc@chu-lyon.fr", sides_ng_id="SIDES-778")
    saml_request_id = request_id(client, idp)
    response = post(
        client,
        dev_idp.response(
            eppn="mblanc@univ-lyon1.fr",
            mail="marc.blanc@univ-lyon1.fr",
            in_response_to=saml_request_id,
            extra_attributes={"sidesId": ["SIDES-778"]},
        ),
    )
    assert response.status_code == 403
    assert "Plusieurs comptes correspondent" in page_text(response)
    assert "rien n'a été relié" in page_text(response)
    assert not FederatedIdentity.objects.exists()
    case = ReconciliationCase.objects.get()
    assert set(case.candidates.all()) == {by_email, by_legacy}
    assert case.status == "open"


def test_legacy_identifier_alone_finds_the_person(client, idp):
    idp.legacy_id_attribute = "sidesId"
    idp.legacy_id_system = "sides_ng"
    idp.save()
    # Her address at this university is verified: the legacy identifier is hers.
    person = make_person(email="anne.leroy@univ-lyon1.fr", sides_ng_id="SIDES-42")
    assert LegacyIdentifier.objects.filter(person=person, value="SIDES-42").exists()
    response = post(
        client,
        dev_idp.response(
            eppn="aleroy@univ-lyon1.fr",
            in_response_to=request_id(client, idp),
            extra_attributes={"sidesId": ["SIDES-42"]},
        ),
    )
    assert response.status_code == 302
    assert client.get("/cockpit/").wsgi_request.user == person.user


def test_a_legacy_identifier_alone_outside_the_university_s_domains_binds_nobody(
    client, idp
):
    """Any IdP configured with a legacy attribute could otherwise claim any recovered
    person: an UNESS admin confirms instead."""
    idp.legacy_id_attribute = "sidesId"
    idp.legacy_id_system = "sides_ng"
    idp.save()
    person = make_person(email="h.garnier@chu-lyon.fr", sides_ng_id="SIDES-9")
    response = post(
        client,
        dev_idp.response(
            eppn="pirate@autre-univ.fr",
            mail="pirate@autre-univ.fr",
            in_response_to=request_id(client, idp),
            extra_attributes={"sidesId": ["sides-9"]},
        ),
    )
    assert response.status_code == 403
    assert "Votre compte doit être confirmé" in page_text(response)
    assert not response.wsgi_request.user.is_authenticated
    assert not FederatedIdentity.objects.exists()
    assert list(ReconciliationCase.objects.get().candidates.all()) == [person]


# Refusals --------------------------------------------------------------------------


@pytest.fixture
def claire():
    return make_person(email="claire.durand@univ-lyon1.fr")


def good_response(client, idp, **kwargs):
    return dev_idp.response(
        eppn="cdurand@univ-lyon1.fr",
        mail="claire.durand@univ-lyon1.fr",
        in_response_to=kwargs.pop("in_response_to", None) or request_id(client, idp),
        **kwargs,
    )


def test_a_tampered_assertion_is_refused(client, idp, claire):
    xml = base64.b64decode(good_response(client, idp)).decode()
    make_person(email="attaquant@univ-lyon1.fr")
    tampered = xml.replace("claire.durand@univ-lyon1.fr", "attaquant@univ-lyon1.fr")
    assert tampered != xml
    response = post(client, base64.b64encode(tampered.encode()).decode())
    refused_with(response, "signature", "pas signée par votre université")


def test_an_unsigned_response_is_refused(client, idp, claire):
    response = post(client, good_response(client, idp, sign=False))
    refused_with(response, "signature", "pas signée par votre université")


def test_a_response_signed_by_another_key_is_refused(client, idp, claire):
    # Same entityID, but not the key of the IdP's metadata: an impostor.
    response = post(client, good_response(client, idp, key_name="impostor-idp"))
    refused_with(response, "signature", "pas signée par votre université")


def test_an_expired_assertion_is_refused(client, idp, claire, settings):
    saml_response = good_response(client, idp)  # valid 5 minutes
    # It reaches SIIMOP ten minutes later: the SP's clock is ten minutes ahead.
    settings.SAML_CLOCK_SKEW_SECONDS = -600
    refused_with(post(client, saml_response), "expirée", "a expiré")


def test_an_assertion_for_another_service_is_refused(client, idp, claire):
    response = post(
        client, good_response(client, idp, audience="https://autre-service.fr/sp")
    )
    refused_with(response, "audience", "destinée à un autre service")


def test_a_replayed_response_is_refused(client, idp, claire):
    saml_response = good_response(client, idp)
    assert post(client, saml_response).status_code == 302
    client.logout()
    refused_with(post(client, saml_response), "non sollicitée", "déjà utilisée")


def test_a_replay_is_refused_even_where_unsolicited_responses_are_allowed(
    client, idp, claire
):
    idp.allow_unsolicited = True
    idp.save()
    saml_response = good_response(client, idp, in_response_to="id-not-asked")
    assert post(client, saml_response).status_code == 302
    client.logout()
    refused_with(post(client, saml_response), "rejouée", "déjà servi")


def test_an_unsolicited_response_is_refused_unless_configured(client, idp, claire):
    saml_response = good_response(client, idp, in_response_to="id-not-asked")
    refused_with(post(client, saml_response), "non sollicitée", "aucune demande")


def test_a_response_from_an_unknown_idp_is_refused(client, idp, claire):
    saml_response = good_response(client, idp)
    idp.is_active = False
    idp.save()
    refused_with(post(client, saml_response), "inconnu", "pas reliée à SIIMOP")


def test_garbage_is_refused_with_a_french_page(client, idp):
    refused_with(post(client, "pas du SAML"), "illisible", "illisible")


def test_the_discovery_page_lists_and_searches_universities(client, idp):
    IdentityProvider.objects.create(
        name="Université Claude Bernard Lyon 1",
        entity_id="https://idp.univ-lyon1.fr/idp/shibboleth",
        metadata_xml="<x/>",
    )
    page = page_text(client.get("/compte/universite/"))
    assert "Université Claude Bernard Lyon 1" in page and dev_idp.NAME in page
    page = page_text(client.get("/compte/universite/", {"q": "lyon"}))
    assert "Université Claude Bernard Lyon 1" in page and dev_idp.NAME not in page


def test_the_session_key_changes_at_sign_in(client, idp, claire):
    client.get("/compte/universite/")
    saml_response = good_response(client, idp)
    before = client.session.session_key
    assert post(client, saml_response).status_code == 302
    assert client.session.session_key != before
