"""The identity services ask who acts, whatever calls them (a view, a task, a script):
an account request is answered from its perimeter, a reconciliation by UNESS admins."""

import pytest
from django.core.exceptions import PermissionDenied

from domains.identity import services
from domains.identity.models import AccountRequest
from domains.people.models import PersonMerge
from domains.people.roles import Role
from domains.people.selectors import person_for_email
from tests.factories.identity import account_request as make_account_request
from tests.identity.test_reconciliation import case  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(people):
    return make_account_request(
        email="paul.roux@chu-lyon.fr",
        role=Role.SITE_ASSISTANT,
        training_site=people.site,
    )


@pytest.mark.parametrize("outsider", ["ars_elsewhere", "coordinator", "resident"])
def test_an_account_request_is_answered_only_from_its_perimeter(
    people, pending, outsider
):
    by = people.get(outsider)
    with pytest.raises(PermissionDenied, match="ne relève pas de votre périmètre"):
        services.account_request_approve(account_request=pending, by=by)
    with pytest.raises(PermissionDenied, match="ne relève pas de votre périmètre"):
        services.account_request_refuse(
            account_request=pending, by=by, reason="Inconnu du service."
        )
    pending.refresh_from_db()
    assert pending.status == AccountRequest.Status.PENDING
    assert person_for_email("paul.roux@chu-lyon.fr") is None


def test_the_ars_of_the_region_answers_it(people, pending):
    services.account_request_refuse(
        account_request=pending, by=people.ars, reason="Inconnu du service."
    )
    pending.refresh_from_db()
    assert pending.status == AccountRequest.Status.REFUSED


@pytest.mark.parametrize("outsider", ["ars", "dgos", "support_l2"])
def test_only_uness_admins_reconcile(people, case, outsider):  # noqa: F811
    found, first, second = case
    by = people.get(outsider)
    with pytest.raises(PermissionDenied, match="administrateurs UNESS"):
        services.reconciliation_merge(case=found, kept=first, by=by)
    with pytest.raises(PermissionDenied, match="administrateurs UNESS"):
        services.reconciliation_link(case=found, person=first, by=by)
    with pytest.raises(PermissionDenied, match="administrateurs UNESS"):
        services.reconciliation_dismiss(case=found, by=by)
    found.refresh_from_db()
    assert found.status == found.Status.OPEN
    assert not PersonMerge.objects.exists()
    services.reconciliation_dismiss(case=found, by=people.uness_admin)
    found.refresh_from_db()
    assert found.status == found.Status.DISMISSED
