"""Identity records for tests: a pending account request (Louise Martin, RTS, Lyon)."""

from domains.identity.models import AccountRequest
from domains.people.roles import Role
from tests.factories.referential import region


def account_request(**fields) -> AccountRequest:
    """A pending request of Louise Martin for an RTS account in Auvergne-Rhône-Alpes;
    `fields` override or add (its `training_site`, another `email`…)."""
    values = {
        "civility": "MME",
        "first_name": "Louise",
        "last_name": "Martin",
        "email": "louise.martin@chu-lyon.fr",
        "role": Role.SITE_SUPERVISOR,
        "region": region("84"),
    }
    return AccountRequest.objects.create(**values | fields)
