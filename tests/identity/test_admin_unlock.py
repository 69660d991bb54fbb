"""The technical admin unlocks several locked logins at once, all or nothing."""

import pytest

from domains.identity.models import SignInEvent, SignInMethod
from domains.identity.throttling import PER_LOGIN, is_locked
from tests.conftest import login_verified, page_text

pytestmark = pytest.mark.django_db
URL = "/django-admin/identity/signinevent/"


def _failures(login: str) -> list[int]:
    return [
        SignInEvent.objects.create(
            login=login, method=SignInMethod.PASSWORD, kind=SignInEvent.Kind.FAILURE
        ).pk
        for _ in range(PER_LOGIN)
    ]


def test_the_selected_logins_are_unlocked_together(client, superuser):
    selected = _failures("claire@exemple.fr") + _failures("paul@exemple.fr")
    assert is_locked(login="claire@exemple.fr", ip=None)
    admin = superuser
    login_verified(client, admin)
    response = client.post(
        URL, {"action": "unlock", "_selected_action": selected}, follow=True
    )
    assert "Connexions débloquées." in page_text(response)
    unlocks = SignInEvent.objects.filter(kind=SignInEvent.Kind.UNLOCK)
    assert sorted(unlocks.values_list("login", flat=True)) == [
        "claire@exemple.fr",
        "paul@exemple.fr",
    ]
    assert {e.reason for e in unlocks} == {f"débloqué par {admin.email}"}
    assert not is_locked(login="claire@exemple.fr", ip=None)
    assert not is_locked(login="paul@exemple.fr", ip=None)
