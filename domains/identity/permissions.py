"""Who may do what to account requests and reconciliations.

An account request lies where the asked site lies (its subdivision and region), or,
before a site is chosen, in the region the requester named: the ARS and the faculty
registry of that perimeter answer it. Reconciliations are national work, for UNESS
admins. The services ask these (the cockpit screens use the same perimeter).
"""

from django.utils.translation import gettext_lazy as _

from domains.people.permissions import require
from domains.people.roles import Role

# The identity permissions each role's group carries (registered from
# IdentityConfig.ready()): who manages people answers their account requests; UNESS
# admins reconcile university sign-ins that matched several persons.
_ACCOUNT_REQUESTS = ["identity.view_accountrequest", "identity.change_accountrequest"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.UNESS_ADMIN: [
        *_ACCOUNT_REQUESTS,
        "identity.view_reconciliationcase",
        "identity.change_reconciliationcase",
    ],
    Role.ARS: _ACCOUNT_REQUESTS,
    Role.FACULTY_REGISTRY: _ACCOUNT_REQUESTS,
}


def account_request_perimeter(account_request) -> list:
    site = account_request.training_site
    if site is not None:
        return [site.subdivision, site.subdivision.region]
    # Unlisted site: the region, and each of its subdivisions (its faculties).
    region = account_request.region
    return [region, *region.subdivisions.all()] if region else []


def require_decide_account_request(by, account_request) -> None:
    require(
        by,
        "identity.change_accountrequest",
        account_request_perimeter(account_request),
        _("Cette demande de compte ne relève pas de votre périmètre."),
    )


def require_reconcile(by) -> None:
    require(
        by,
        "identity.change_reconciliationcase",
        [],
        _("Les rapprochements d'identités relèvent des administrateurs UNESS."),
    )
