"""One sign-in policy on every door: each test replays an attack that succeeded before.

Admin login forms, several addresses of one person, a pending second factor, the
password reset form, a university asserting someone else's address, a proxy in front.
"""

import time
from datetime import date

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from domains.cockpit.confirmation import SESSION_KEY
from domains.identity import dev_idp
from domains.identity.models import FederatedIdentity, SignInEvent
from domains.identity.services import sign_in_unlock
from domains.identity.throttling import PER_IP, PER_LOGIN, client_ip
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import email_add, function_grant
from tests.conftest import login_verified, page_text
from tests.factories.people import PASSWORD, make_person
from tests.factories.referential import region
from tests.identity.test_saml import sign_in_through_idp
from tests.identity.test_second_factor import code_for

pytestmark = pytest.mark.django_db
LOGIN = "/compte/connexion/"
LOCKED = "Trop de tentatives infructueuses"


def fail(client, login, times=1, url=LOGIN):
    for _ in range(times):
        client.post(url, {"username": login, "password": "mauvais"})


def sign_in(client, login, password=PASSWORD):
    return client.post(LOGIN, {"username": login, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# 1. The admins' own login and reset forms -------------------------------------------


@pytest.mark.parametrize("admin_login", ["/admin/login/", "/django-admin/login/"])
def test_admin_login_forms_send_to_the_sign_in_policy(client, admin_login, uness_admin):
    response = client.get(admin_login + "?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/admin/pages/"
    # A password posted to the admin login signs nobody in, counts nothing.
    response = client.post(admin_login, {"username": "x", "password": "y"})
    assert response.status_code == 302 and not signed_in(client)


def test_a_locked_account_cannot_enter_the_wagtail_admin_by_any_door(client, people):
    admin = people.uness_admin
    fail(client, admin.email, PER_LOGIN)
    for url in ("/admin/login/", "/django-admin/login/", LOGIN):
        client.post(url, {"username": admin.email, "password": PASSWORD})
        assert not signed_in(client), url
    assert LOCKED in page_text(sign_in(client, admin.email))


def test_wagtail_admin_sends_anonymous_visitors_to_our_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/compte/connexion/?next=/admin/"
    assert "Mot de passe" in page_text(response)


@pytest.mark.parametrize(
    "reset_url",
    ["/admin/password_reset/", "/admin/password_reset/done/"],
)
def test_wagtail_password_reset_is_ours(client, reset_url):
    make_person(email="claire@exemple.fr")
    response = client.post(reset_url, {"email": "claire@exemple.fr"})
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/"
    assert mail.outbox == []


def test_django_admin_password_change_is_not_an_unthrottled_password_check(
    client, people
):
    login_verified(client, people.uness_admin)
    response = client.get("/django-admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/"


def test_any_authenticate_call_honours_the_lock(rf):
    """A door we do not know of yet (an API login, say) still meets the lock."""
    from django.contrib.auth import authenticate

    person = make_person(email="claire@exemple.fr")
    fail(Client(), "claire@exemple.fr", PER_LOGIN)
    request = rf.post("/ailleurs/")
    assert (
        authenticate(request, username="claire@exemple.fr", password=PASSWORD) is None
    )
    assert person.user.sign_in_events.filter(kind="failure").count() == PER_LOGIN + 1


# 2. The lock counts the person, not the typed address -------------------------------


def test_failures_through_several_addresses_lock_the_person(client):
    person = make_person(email="claire@exemple.fr")
    email_add(person=person, email="c.durand@chu-lyon.fr", verified=True, by=SYSTEM)
    email_add(
        person=person, email="claire.durand@univ-lyon1.fr", verified=True, by=SYSTEM
    )
    fail(client, "claire@exemple.fr", 2)
    fail(client, "c.durand@chu-lyon.fr", 2)
    fail(client, "claire.durand@univ-lyon1.fr", 1)
    # The right password through a fourth spelling of an address: still locked.
    response = sign_in(client, "CLAIRE@exemple.fr")
    assert LOCKED in page_text(response) and not signed_in(client)
    response = sign_in(client, "c.durand@chu-lyon.fr")
    assert LOCKED in page_text(response) and not signed_in(client)


def test_an_unknown_address_locks_after_the_same_number_of_tries(client):
    make_person(email="claire@exemple.fr")
    fail(client, "claire@exemple.fr", PER_LOGIN)
    fail(client, "personne@exemple.fr", PER_LOGIN)
    known = page_text(sign_in(client, "claire@exemple.fr", "mauvais"))
    unknown = page_text(sign_in(client, "personne@exemple.fr", "mauvais"))
    assert LOCKED in known and LOCKED in unknown


def test_an_unknown_address_does_not_lock_a_person(client):
    make_person(email="claire@exemple.fr")
    fail(client, "clair@exemple.fr", PER_LOGIN)
    sign_in(client, "claire@exemple.fr")
    assert signed_in(client)


def test_unlocking_an_address_unlocks_the_person(client):
    person = make_person(email="claire@exemple.fr")
    email_add(person=person, email="c.durand@chu-lyon.fr", verified=True, by=SYSTEM)
    fail(client, "claire@exemple.fr", PER_LOGIN)
    sign_in_unlock(login="c.durand@chu-lyon.fr")
    sign_in(client, "claire@exemple.fr")
    assert signed_in(client)


# 3. A pending second factor, and fresh confirmation for account changes -------------


@pytest.fixture
def admin_with_totp(client, people):
    """A national administrator with a second factor, signed in by password only."""
    admin = people.dgos
    TOTPDevice.objects.create(user=admin, name="Téléphone", confirmed=True)
    sign_in(client, admin.email)
    assert signed_in(client)
    return admin


ACCOUNT_DOORS = [
    ("post", "/compte/methodes/retirer/", {"method": "password"}),
    ("post", "/compte/methodes/lien/activer/", {}),
    ("post", "/compte/sessions/fermer/", {}),
    ("post", "/compte/universite/relier/", {}),
    ("get", "/compte/deuxieme-facteur/activer/", {}),
    ("get", "/compte/confirmer/", {}),
    ("get", "/compte/demande/", {}),
    ("get", "/cockpit/mes-informations/connexions/", {}),
    ("get", "/admin/", {}),
]


@pytest.mark.parametrize(("verb", "url", "data"), ACCOUNT_DOORS)
def test_a_pending_second_factor_reaches_only_its_page(
    client, admin_with_totp, verb, url, data
):
    response = getattr(client, verb)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/deuxieme-facteur/?next=")
    admin_with_totp.refresh_from_db()
    assert admin_with_totp.has_usable_password()
    assert admin_with_totp.session_epoch == 0
    assert not SignInEvent.objects.filter(kind__in=["linked", "unlinked"]).exists()


def test_a_pending_second_factor_can_still_type_its_code_and_sign_out(
    client, admin_with_totp
):
    assert client.get("/compte/deuxieme-facteur/").status_code == 200
    response = client.post(
        "/compte/deuxieme-facteur/?next=/cockpit/", {"code": code_for(admin_with_totp)}
    )
    assert response["Location"] == "/cockpit/"
    assert client.get("/cockpit/mes-informations/connexions/").status_code == 200
    client.post("/compte/deconnexion/")
    assert not signed_in(client)


def test_a_required_second_factor_not_set_up_reaches_only_its_setup(client, people):
    admin = people.uness_admin
    sign_in(client, admin.email)
    response = client.post("/compte/sessions/fermer/")
    assert response["Location"] == "/compte/deuxieme-facteur/activer/"
    assert client.get("/compte/deuxieme-facteur/activer/").status_code == 200


def _stale(client) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 11 * 60
    session.save()


@pytest.fixture
def claire(client):
    """Signed in with her password eleven minutes ago, no second factor."""
    person = make_person(email="claire@exemple.fr")
    sign_in(client, "claire@exemple.fr")
    _stale(client)
    return person.user


@pytest.mark.parametrize(
    ("verb", "url", "data"),
    [
        ("post", "/compte/methodes/retirer/", {"method": "magic_link"}),
        ("post", "/compte/methodes/lien/activer/", {}),
        ("post", "/compte/sessions/fermer/", {}),
        ("post", "/compte/universite/relier/", {}),
        ("post", "/cockpit/mes-informations/adresses/", {"email": "m@evil.example"}),
        ("get", "/compte/deuxieme-facteur/activer/", {}),
    ],
)
def test_account_changes_ask_a_fresh_confirmation(client, claire, verb, url, data):
    response = getattr(client, verb)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/confirmer/")
    claire.refresh_from_db()
    assert claire.magic_link_enabled and claire.session_epoch == 0
    assert "siimop_sso_linking" not in client.session
    assert not claire.person.emails.filter(email="m@evil.example").exists()


def test_the_password_confirms_for_ten_minutes(client, claire):
    back = "/cockpit/mes-informations/connexions/"
    page = client.get(f"/compte/confirmer/?next={back}")
    assert "Confirmez votre identité" in page_text(page)
    response = client.post(f"/compte/confirmer/?next={back}", {"password": PASSWORD})
    assert response["Location"] == back
    assert SignInEvent.objects.filter(user=claire, kind="reauth").exists()
    client.post("/compte/methodes/retirer/", {"method": "magic_link"})
    claire.refresh_from_db()
    assert not claire.magic_link_enabled


def test_a_wrong_confirmation_password_counts_toward_the_lock(client, claire):
    for _ in range(PER_LOGIN):
        page = client.post("/compte/confirmer/", {"password": "mauvais"})
        assert "Mot de passe incorrect" in page_text(page)
    # Now even the right one is refused: guessing through this form is throttled too.
    page = client.post("/compte/confirmer/", {"password": PASSWORD})
    assert page.status_code == 200 and "Mot de passe incorrect" in page_text(page)
    assert not SignInEvent.objects.filter(kind="reauth").exists()


def test_an_account_with_a_second_factor_confirms_with_a_code(client, people):
    admin = people.dgos
    TOTPDevice.objects.create(user=admin, name="Téléphone", confirmed=True)
    sign_in(client, admin.email)
    client.post("/compte/deuxieme-facteur/", {"code": code_for(admin)})
    _stale(client)
    page = client.get("/compte/confirmer/")
    assert "Code à 6 chiffres" in page_text(page)
    assert 'name="password"' not in page_text(page)
    client.post("/compte/confirmer/", {"code": code_for(admin, drift=1)})
    client.post("/compte/sessions/fermer/")
    admin.refresh_from_db()
    assert admin.session_epoch == 1


def test_a_linking_request_expires_with_the_confirmation(client, claire):
    """The university's answer links an identity only shortly after asking to."""
    idp = dev_idp.register()
    session = client.session
    session["siimop_sso_linking"] = int(time.time()) - 11 * 60
    session.save()
    sign_in_through_idp(
        client, idp, eppn="attaquant@univ-lyon1.fr", mail="attaquant@univ-lyon1.fr"
    )
    assert not FederatedIdentity.objects.filter(person__user=claire).exists()


# 4. Password reset -----------------------------------------------------------------


@pytest.fixture
def reset(client, django_capture_on_commit_callbacks):
    """Ask a reset as the form does; the e-mail leaves through the worker."""

    def ask(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/compte/mot-de-passe/", {"email": email}, **extra)

    return ask


def test_password_reset_is_throttled_per_person_and_says_so(reset):
    make_person(email="claire@exemple.fr")
    for _ in range(PER_LOGIN):
        assert reset("claire@exemple.fr").status_code == 302
    response = reset("claire@exemple.fr")
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation" in page_text(response)
    assert len(mail.outbox) == PER_LOGIN


def test_password_reset_is_throttled_for_unknown_addresses_alike(reset):
    for _ in range(PER_LOGIN):
        reset("personne@exemple.fr")
    assert reset("personne@exemple.fr").status_code == 429


def test_password_reset_is_throttled_per_client_address(reset):
    for i in range(PER_IP):
        reset(f"p{i}@exemple.fr")
    assert reset("autre@exemple.fr").status_code == 429


@override_settings(SIIMOP_BASE_URL="https://siimop.sante.gouv.fr")
def test_the_reset_link_uses_the_platform_address_not_the_host_header(reset):
    make_person(email="claire@exemple.fr")
    reset("claire@exemple.fr", HTTP_HOST="evil.example")
    (message,) = mail.outbox
    assert "https://siimop.sante.gouv.fr/compte/mot-de-passe/" in message.body
    assert "example.com" not in message.body and "evil" not in message.body


def test_the_reset_e_mail_leaves_through_the_worker(client):
    """Sent in the request, an existing account's answer took longer than an unknown
    one's (a timing oracle)."""
    make_person(email="claire@exemple.fr")
    client.post("/compte/mot-de-passe/", {"email": "claire@exemple.fr"})
    assert mail.outbox == []  # not before the transaction commits, in the worker


# 7. A university vouches only for its own domains ----------------------------------


def test_a_university_asserting_another_domain_signs_nobody_in(client):
    idp = dev_idp.register()
    ars = make_person(email="ars@demo.siimop.fr")
    function_grant(
        person=ars,
        role=Role.ARS,
        start_date=date(2024, 9, 1),
        region=region("84"),
        by=SYSTEM,
    )
    response = sign_in_through_idp(
        client, idp, eppn="pirate@univ-lyon1.fr", mail="ars@demo.siimop.fr"
    )
    assert not signed_in(client)
    assert response.status_code == 403
    assert not FederatedIdentity.objects.exists()


def test_a_university_binds_its_own_domain_and_subdomains():
    from domains.identity.models import IdentityProvider

    idp = IdentityProvider(email_domains="univ-lyon1.fr\n@univ-lyon2.fr\n")
    assert idp.vouches_for("claire@univ-lyon1.fr")
    assert idp.vouches_for("claire@etu.univ-lyon1.fr")
    assert idp.vouches_for("claire@UNIV-LYON2.FR")
    assert not idp.vouches_for("claire@faux-univ-lyon1.fr")
    assert not idp.vouches_for("claire@univ-lyon1.fr.evil.example")
    assert not IdentityProvider(email_domains="").vouches_for("a@univ-lyon1.fr")


def test_an_identity_outside_the_domains_is_linked_from_connexions(client):
    """The rightful owner signs in another way, confirms, then links it herself."""
    idp = dev_idp.register()
    person = make_person(email="c.durand@chu-lyon.fr")
    sign_in(client, "c.durand@chu-lyon.fr")
    assert client.post("/compte/universite/relier/").status_code == 302
    sign_in_through_idp(
        client, idp, eppn="cdurand@univ-lyon1.fr", mail="c.durand@chu-lyon.fr"
    )
    assert FederatedIdentity.objects.get().person == person


# 8. The client address behind the proxy --------------------------------------------


def _request(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(rf, settings):
    settings.SIIMOP_TRUSTED_PROXIES = []
    assert client_ip(_request(rf, "203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(rf, settings):
    settings.SIIMOP_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client forged a first hop; nginx appended the real one; a balancer too.
    request = _request(rf, "127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(_request(rf, "127.0.0.1")) == "127.0.0.1"


def test_an_untrusted_peer_cannot_choose_its_address(rf, settings):
    settings.SIIMOP_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request(rf, "203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_ip(_request(rf, "127.0.0.1", "pas-une-adresse")) == "127.0.0.1"


def test_behind_the_proxy_one_attacker_does_not_lock_everybody(client, settings):
    settings.SIIMOP_TRUSTED_PROXIES = ["127.0.0.1"]
    make_person(email="claire@exemple.fr")
    for i in range(PER_IP):
        client.post(
            LOGIN,
            {"username": f"p{i}@exemple.fr", "password": "x"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    response = client.post(
        LOGIN,
        {"username": "autre@exemple.fr", "password": "x"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert LOCKED in page_text(response)
    other = Client()
    other.post(
        LOGIN,
        {"username": "claire@exemple.fr", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert signed_in(other)
    event = SignInEvent.objects.filter(kind="success").get()
    assert event.ip == "198.51.100.20"


# Found by attacking the new policy --------------------------------------------------


def test_a_sign_in_link_never_goes_to_an_address_added_but_not_verified(
    client, django_capture_on_commit_callbacks
):
    """A stolen session added the attacker's mailbox, then asked a link there."""
    person = make_person(email="claire@exemple.fr")
    email_add(person=person, email="mallory@evil.example", verified=False, by=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/lien/", {"email": "mallory@evil.example"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/lien/", {"email": "claire@exemple.fr"})
    assert [m.to for m in mail.outbox] == [["claire@exemple.fr"]]


def test_link_requests_lock_an_account_without_links_like_an_unknown_address(client):
    person = make_person(email="claire@exemple.fr")
    person.user.magic_link_enabled = False
    person.user.save()
    answers = [
        client.post("/compte/lien/", {"email": login}).status_code
        for login in ["claire@exemple.fr"] * 6 + ["personne@exemple.fr"] * 6
    ]
    assert answers == ([200] * 5 + [429]) * 2


def test_the_admins_set_no_password_and_change_no_address(client, superuser):
    admin = superuser
    other = make_person(email="claire@exemple.fr").user
    login_verified(client, admin)
    assert client.get(
        f"/django-admin/people/user/{other.pk}/password/"
    ).status_code == (403)
    assert "password1" not in page_text(client.get(f"/admin/users/edit/{other.pk}/"))
    client.post("/admin/account/", {"name_email-email": "mallory@evil.example"})
    admin.refresh_from_db()
    assert admin.email != "mallory@evil.example"


def test_removing_someone_s_second_factor_in_the_admin_asks_a_confirmation(
    client, superuser
):
    admin = superuser
    login_verified(client, admin)
    _stale(client)
    device = TOTPDevice.objects.get(user=admin)
    url = f"/django-admin/otp_totp/totpdevice/{device.pk}/delete/"
    response = client.post(url, {"post": "yes"})
    assert response["Location"].startswith("/compte/confirmer/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_unsolicited_response_changes_nothing_for_a_signed_in_person(client, claire):
    """A page elsewhere posting the attacker's response into her browser, right after
    making it ask to link: the identity is not linked, the account not switched."""
    from tests.identity.test_saml import post

    idp = dev_idp.register()
    idp.allow_unsolicited = True
    idp.save()
    session = client.session
    session["siimop_sso_linking"] = int(time.time())
    session.save()
    make_person(email="attaquant@univ-lyon1.fr")
    response = post(
        client,
        dev_idp.response(
            eppn="attaquant@univ-lyon1.fr",
            mail="attaquant@univ-lyon1.fr",
            in_response_to=None,
        ),
    )
    assert response.status_code == 403
    assert "ne fait suite à aucune demande" in page_text(response)
    assert not FederatedIdentity.objects.exists()
    assert client.get("/cockpit/").wsgi_request.user == claire


def test_turning_the_second_factor_on_ends_the_other_sessions(client):
    person = make_person(email="claire@exemple.fr")
    other = Client()
    other.post(LOGIN, {"username": "claire@exemple.fr", "password": PASSWORD})
    sign_in(client, "claire@exemple.fr")
    client.get("/compte/deuxieme-facteur/activer/")
    client.post("/compte/deuxieme-facteur/activer/", {"code": code_for(person.user)})
    assert TOTPDevice.objects.get(user=person.user).confirmed
    assert other.get("/cockpit/").status_code == 302  # signed out
    assert client.get("/cockpit/").status_code == 200


def test_an_administrator_setting_up_late_can_confirm(client, people):
    admin = people.uness_admin
    sign_in(client, admin.email)
    _stale(client)
    response = client.get("/compte/deuxieme-facteur/activer/")
    assert response["Location"].startswith("/compte/confirmer/")
    assert client.get(response["Location"]).status_code == 200


def test_a_signed_in_person_without_admin_access_is_not_sent_round_in_circles(client):
    login_verified(client, make_person(email="claire@exemple.fr").user)
    for url in ("/admin/", "/django-admin/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == "/cockpit/", url
        assert "ne donne pas accès" in page_text(response)
